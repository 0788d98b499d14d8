using System;
using System.Collections.Generic;
using System.Linq;
using System.Net;
using System.Net.Http;
using System.Net.Http.Headers;
using System.Text;
using System.Text.Json;
using System.Threading;
using CryptoTrader.Core.Credentials;
using CryptoTrader.Core.Errors;
using CryptoTrader.Core.Trading;

namespace CryptoTrader.Core.Exchanges.Coinbase
{
    /// <summary>
    /// Signed requests to the Advanced Trade API: a fresh JWT each attempt, a timeout, no redirects (no other
    /// host is ever contacted), retries with exponential backoff on 429 and 5xx honouring Retry-After (only for
    /// requests that are safe to repeat), and errors mapped to <see cref="ExchangeException"/> without any secret
    /// or token in them. Certificate validation is the platform's: nothing here touches it.
    /// </summary>
    internal sealed class CoinbaseHttp
    {
        public const int MaxRetries = 3;
        public static readonly TimeSpan RequestTimeout = TimeSpan.FromSeconds(30);
        public static readonly TimeSpan MaxRetryDelay = TimeSpan.FromSeconds(30);
        private static readonly Lazy<HttpClient> Shared = new Lazy<HttpClient>(() => CreateClient(null));

        private readonly Uri baseUrl;
        private readonly HttpClient client;
        private readonly Action<TimeSpan> sleep;

        public CoinbaseHttp(Uri baseUrl, HttpMessageHandler? handler = null, Action<TimeSpan>? sleep = null)
        {
            this.baseUrl = CoinbaseEndpoint.Parse(baseUrl.ToString());
            client = handler is null ? Shared.Value : CreateClient(handler);
            this.sleep = sleep ?? Thread.Sleep;
        }

        public Uri BaseUrl => baseUrl;

        private static HttpClient CreateClient(HttpMessageHandler? handler)
        {
#if NET
            handler ??= new SocketsHttpHandler
            {
                AllowAutoRedirect = false,
                ConnectTimeout = TimeSpan.FromSeconds(10),
                PooledConnectionLifetime = TimeSpan.FromMinutes(2),
                UseProxy = true,
            };
#else
            handler ??= new HttpClientHandler { AllowAutoRedirect = false };
#endif
            // Advanced Trade answers are small; a huge body is refused rather than buffered.
            return new HttpClient(handler, disposeHandler: true) { Timeout = RequestTimeout, MaxResponseContentBufferSize = 8 * 1024 * 1024 };
        }

        /// <param name="path">Relative to the base URL, without a leading slash, e.g. "accounts".</param>
        /// <param name="retryable">Safe to send again: reads, and creations that carry a client_order_id.</param>
        public JsonDocument Send(ApiCredential credential, HttpMethod method, string path, string? query, byte[]? body, bool retryable, string what)
        {
            var target = new Uri(baseUrl.ToString() + "/" + path + (string.IsNullOrEmpty(query) ? string.Empty : "?" + query));
            for (var attempt = 0; ; attempt++)
            {
                HttpResponseMessage response;
                using (var request = new HttpRequestMessage(method, target))
                {
                    // The signed uri has no scheme and no query string.
                    var jwt = CoinbaseJwt.Create(credential, method.Method, target.Authority, target.AbsolutePath, DateTimeOffset.UtcNow);
                    request.Headers.Authorization = new AuthenticationHeaderValue("Bearer", jwt);
                    request.Headers.Accept.Add(new MediaTypeWithQualityHeaderValue("application/json"));
                    if (body != null)
                    {
                        request.Content = new ByteArrayContent(body);
                        request.Content.Headers.ContentType = new MediaTypeHeaderValue("application/json");
                    }
                    try
                    {
                        response = client.SendAsync(request, HttpCompletionOption.ResponseContentRead).ConfigureAwait(false).GetAwaiter().GetResult();
                    }
                    catch (Exception e) when (e is HttpRequestException || e is OperationCanceledException)
                    {
                        if (retryable && attempt < MaxRetries && !IsCertificateFailure(e))
                        {
                            sleep(Backoff(attempt));
                            continue;
                        }
                        throw Unreachable(target, what, e);
                    }
                }
                using (response)
                {
                    var status = (int)response.StatusCode;
                    var text = response.Content.ReadAsStringAsync().ConfigureAwait(false).GetAwaiter().GetResult();
                    if (status >= 200 && status < 300)
                    {
                        try
                        {
                            return JsonDocument.Parse(string.IsNullOrWhiteSpace(text) ? "{}" : text);
                        }
                        catch (JsonException e)
                        {
                            throw new ExchangeException(ErrorIds.ExchangeResponseInvalid, $"Coinbase answered {what} with a body that is not JSON.", e);
                        }
                    }
                    if ((status == 429 || status >= 500) && retryable && attempt < MaxRetries)
                    {
                        var delay = RetryAfter(response) ?? Backoff(attempt);
                        if (delay <= MaxRetryDelay)
                        {
                            sleep(delay);
                            continue;
                        }
                    }
                    throw Map(status, text, what, attempt);
                }
            }
        }

        internal static TimeSpan Backoff(int attempt) => TimeSpan.FromMilliseconds(500 * Math.Pow(2, attempt));

        private static TimeSpan? RetryAfter(HttpResponseMessage response)
        {
            var header = response.Headers.RetryAfter;
            if (header?.Delta is TimeSpan delta)
            {
                return delta < TimeSpan.Zero ? TimeSpan.Zero : delta;
            }
            if (header?.Date is DateTimeOffset date)
            {
                var wait = date - DateTimeOffset.UtcNow;
                return wait < TimeSpan.Zero ? TimeSpan.Zero : wait;
            }
            return null;
        }

        private static bool IsCertificateFailure(Exception e)
        {
            for (var inner = e; inner != null; inner = inner.InnerException)
            {
                if (inner is System.Security.Authentication.AuthenticationException)
                {
                    return true;
                }
            }
            return false;
        }

        private static ExchangeException Unreachable(Uri target, string what, Exception e)
        {
            if (e is OperationCanceledException)
            {
                return new ExchangeException(ErrorIds.ExchangeTimeout,
                    $"Coinbase ({target.Authority}) did not answer {what} within {RequestTimeout.TotalSeconds:0} s; nothing is known about its outcome. Retry later (an order retried with the same -ClientOrderId is never placed twice).", e);
            }
            var reasons = new List<string>();
            for (var inner = e; inner != null; inner = inner.InnerException)
            {
                reasons.Add(inner.Message);
            }
            var certificate = IsCertificateFailure(e)
                ? " The server's TLS certificate was not trusted; CryptoTrader never skips certificate validation."
                : string.Empty;
            return new ExchangeException(ErrorIds.ExchangeUnreachable,
                $"Could not reach Coinbase at {target.Authority} for {what}: {string.Join(" ", reasons.Distinct())}{certificate}", e);
        }

        /// <summary>The exchange's own words, from the error shapes Advanced Trade uses; control characters removed, length bounded.</summary>
        internal static string Reason(string text)
        {
            var parts = new List<string>();
            try
            {
                using var document = JsonDocument.Parse(text);
                var root = document.RootElement;
                if (root.ValueKind == JsonValueKind.Object)
                {
                    AddStrings(parts, root, "error", "message", "error_details");
                    if (root.TryGetProperty("error_response", out var response) && response.ValueKind == JsonValueKind.Object)
                    {
                        AddStrings(parts, response, "error", "message", "error_details", "preview_failure_reason", "new_order_failure_reason");
                    }
                }
            }
            catch (JsonException)
            {
            }
            return Clean(parts);
        }

        /// <summary>The exchange's reasons as one line fit for an error message and an audit record: control characters removed, length bounded.</summary>
        internal static string Clean(IReadOnlyCollection<string> parts)
        {
            var reason = parts.Count > 0 ? string.Join(": ", parts.Distinct()) : "no reason given";
            var clean = new string(reason.Select(c => char.IsControl(c) ? ' ' : c).ToArray());
            return clean.Length > 300 ? clean.Substring(0, 300) + "..." : clean;
        }

        internal static void AddStrings(List<string> parts, JsonElement element, params string[] names)
        {
            foreach (var name in names)
            {
                if (element.TryGetProperty(name, out var value) && value.ValueKind == JsonValueKind.String && value.GetString() is { Length: > 0 } s)
                {
                    parts.Add(s);
                }
            }
        }

        private static ExchangeException Map(int status, string text, string what, int retries)
        {
            var reason = Reason(text);
            switch (status)
            {
                case 401:
                    return new ExchangeException(ErrorIds.ExchangeAuthenticationFailed, CtErrorKind.AuthenticationError,
                        $"Coinbase refused the API key for {what} (HTTP 401: {reason}). Check the key name and private key stored with Set-CtApiKey, and that the key still exists at Coinbase.");
                case 403:
                    var scope = reason.IndexOf("Missing required scopes", StringComparison.OrdinalIgnoreCase) >= 0
                        ? " The key lacks the scope this needs (view for balances, tickers and orders; trade for placing and cancelling): create a key with it at Coinbase."
                        : string.Empty;
                    return new ExchangeException(ErrorIds.ExchangePermissionDenied, CtErrorKind.PermissionDenied,
                        $"Coinbase denied {what} (HTTP 403: {reason}).{scope}");
                case 429:
                    return new ExchangeException(ErrorIds.ExchangeRateLimited,
                        retries == 0
                            ? $"Coinbase refused {what} for exceeding its rate limit (HTTP 429); wait a moment and try again."
                            : $"Coinbase kept refusing {what} for exceeding its rate limit (HTTP 429) after {retries} retries; wait a moment and try again.");
                default:
                    return status >= 500
                        ? new ExchangeException(ErrorIds.ExchangeUnavailable, $"Coinbase failed {what} (HTTP {status}: {reason}); try again later.")
                        : new ExchangeException(ErrorIds.ExchangeRequestRefused, $"Coinbase refused {what} (HTTP {status}: {reason}).");
            }
        }

        public static byte[] Body(Action<Utf8JsonWriter> write)
        {
            using var buffer = new System.IO.MemoryStream();
            using (var writer = new Utf8JsonWriter(buffer))
            {
                writer.WriteStartObject();
                write(writer);
                writer.WriteEndObject();
            }
            return buffer.ToArray();
        }
    }
}
