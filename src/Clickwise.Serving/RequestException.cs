namespace Clickwise.Serving;

/// <summary>
/// A request the server answers with an error status and <c>{"error": message}</c> (Triton and TF Serving shape):
/// 400 for a malformed body or a shape/type mismatch, 404 for an unknown model or version, 413, 415, 503, 504.
/// </summary>
public sealed class RequestException(int status, string message) : Exception(message)
{
    public int Status { get; } = status;

    public static RequestException BadRequest(string message) => new(400, message);

    public static RequestException NotFound(string message) => new(404, message);
}
