using System.Buffers;
using System.Text.Json;
using System.Text.Json.Serialization.Metadata;
using Microsoft.AspNetCore.Http;

namespace Clickwise.Serving;

/// <summary>Reads a JSON request body within the size limit: 415 when it is not JSON, 413 when too large, 400 when malformed.</summary>
internal static class RequestBody
{
    public static async Task<T> ReadAsync<T>(HttpRequest request, long maxBytes, JsonTypeInfo<T> type)
        where T : class
    {
        if (!IsJson(request.ContentType))
        {
            throw new RequestException(415, $"the body must be application/json, got '{request.ContentType ?? "no content type"}'");
        }

        if (request.ContentLength > maxBytes)
        {
            throw new RequestException(413, $"the body has {request.ContentLength} bytes; the limit is {maxBytes}");
        }

        byte[] buffer = ArrayPool<byte>.Shared.Rent((int)Math.Min(request.ContentLength ?? 16 << 10, maxBytes) + 1);
        try
        {
            int length = 0;
            while (true)
            {
                if (length == buffer.Length)
                {
                    if (length > maxBytes)
                    {
                        throw new RequestException(413, $"the body has more than {maxBytes} bytes, the limit");
                    }

                    byte[] larger = ArrayPool<byte>.Shared.Rent((int)Math.Min(2L * buffer.Length, maxBytes + 1));
                    buffer.AsSpan(0, length).CopyTo(larger);
                    ArrayPool<byte>.Shared.Return(buffer);
                    buffer = larger;
                }

                int read = await request.Body.ReadAsync(buffer.AsMemory(length), request.HttpContext.RequestAborted).ConfigureAwait(false);
                if (read == 0)
                {
                    break;
                }

                length += read;
            }

            if (length > maxBytes)
            {
                throw new RequestException(413, $"the body has more than {maxBytes} bytes, the limit");
            }

            try
            {
                return JsonSerializer.Deserialize(buffer.AsSpan(0, length), type)
                    ?? throw RequestException.BadRequest("the body is JSON null; expected an object");
            }
            catch (JsonException e)
            {
                throw RequestException.BadRequest($"malformed JSON: {e.Message}");
            }
        }
        finally
        {
            ArrayPool<byte>.Shared.Return(buffer);
        }
    }

    private static bool IsJson(string? contentType) =>
        contentType is not null && contentType.AsSpan().TrimStart().StartsWith("application/json", StringComparison.OrdinalIgnoreCase);
}
