namespace Clickwise.Interchange;

/// <summary>A model whose plan has an op ONNX export does not express; the message names the model and the op.</summary>
public sealed class OnnxExportException(string message) : NotSupportedException(message);
