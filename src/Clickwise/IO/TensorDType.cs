namespace Clickwise.IO;

/// <summary>Element types a model file stores; written as "f32", "i32", "i64" in the tensor directory.</summary>
public enum TensorDType
{
    Float32,
    Int32,
    Int64,
}
