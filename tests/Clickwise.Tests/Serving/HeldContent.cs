using System.Net.Http.Headers;
using System.Text;

namespace Clickwise.Tests.Serving;

/// <summary>A JSON body sent only once <see cref="Release"/> is called: a request that stays "being read" meanwhile.</summary>
internal sealed class HeldContent : HttpContent
{
    private readonly byte[] _body;
    private readonly TaskCompletionSource _release = new(TaskCreationOptions.RunContinuationsAsynchronously);

    public HeldContent(string json)
    {
        _body = Encoding.UTF8.GetBytes(json);
        Headers.ContentType = new MediaTypeHeaderValue("application/json");
    }

    public void Release() => _release.TrySetResult();

    protected override async Task SerializeToStreamAsync(Stream stream, System.Net.TransportContext? context)
    {
        await _release.Task;
        await stream.WriteAsync(_body);
    }

    protected override bool TryComputeLength(out long length)
    {
        length = 0;
        return false;
    }
}
