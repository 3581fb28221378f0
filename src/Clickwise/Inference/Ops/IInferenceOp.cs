namespace Clickwise.Inference.Ops;

/// <summary>
/// One step of a compiled plan. Ops read and write regions of the caller's <see cref="InferenceTape"/> and add
/// their contribution to the logits; they hold only immutable weights, so one plan serves many threads.
/// </summary>
internal interface IInferenceOp
{
    /// <summary>Parameters the op holds (for reports).</summary>
    long ParameterCount { get; }

    /// <summary>Bytes of weights the op holds in memory.</summary>
    long Bytes { get; }

    /// <summary>Short description for <c>inspect</c>: kind, shape, kernel.</summary>
    string Describe();
}
