using Clickwise.Interchange;

namespace Clickwise.Inference.Ops;

/// <summary>
/// An op that writes itself as ONNX nodes: an exported model is its plan's ops in plan order, each reading and writing the
/// tape columns it reads and writes when it runs (<see cref="OnnxGraph"/>), so the math stays where the plan has it.
/// </summary>
internal interface IOnnxExportable
{
    void Export(OnnxGraph graph);
}
