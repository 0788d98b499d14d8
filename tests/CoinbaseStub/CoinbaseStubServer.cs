using System;
using System.Collections.Concurrent;
using System.Collections.Generic;
using System.Globalization;
using System.Linq;
using System.Net;
using System.Security.Cryptography;
using System.Security.Cryptography.X509Certificates;
using System.Text;
using System.Text.Json;
using System.Text.Json.Nodes;
using System.Threading.Tasks;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Hosting.Server;
using Microsoft.AspNetCore.Hosting.Server.Features;
using Microsoft.AspNetCore.Http;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;

namespace CoinbaseStub
{
    /// <summary>One request as the stub saw it (the JWT is kept only so tests can check it never leaks).</summary>
    public sealed record RecordedRequest(string Method, string Path, string Query, string Body, string Jwt, string? JwtError);

    /// <summary>A scripted answer for the next request whose path ends with <see cref="PathSuffix"/> (null: any request).</summary>
    public sealed record ScriptedResponse(string? PathSuffix, int Status, string Body, string? RetryAfter = null);

    /// <summary>
    /// Coinbase Advanced Trade on 127.0.0.1 over HTTPS (Kestrel, ephemeral port). Every request's JWT is verified
    /// (ES256 signature with the key's public part, kid, typ, nonce, iss, sub, nbf, exp, uri); a bad one is a 401.
    /// Answers with the documented shapes; scripted answers (429, 401, 403, 5xx, ...) take precedence.
    /// </summary>
    public sealed class CoinbaseStubServer : IAsyncDisposable
    {
        public const string BasePath = "/api/v3/brokerage";
        private readonly WebApplication app;
        private readonly ECDsa publicKey;
        private readonly HashSet<string> nonces = new HashSet<string>();
        private readonly object gate = new object();

        private CoinbaseStubServer(WebApplication app, string keyName, ECDsa publicKey)
        {
            this.app = app;
            KeyName = keyName;
            this.publicKey = publicKey;
        }

        public string KeyName { get; }

        public string BaseUrl { get; private set; } = string.Empty;

        public int Port { get; private set; }

        public bool CanView { get; set; } = true;

        public bool CanTrade { get; set; } = true;

        public bool CanTransfer { get; set; }

        /// <summary>Accounts per page of GET accounts (small, so paging is exercised).</summary>
        public int PageSize { get; set; } = 2;

        public List<(string Currency, decimal Available, decimal Hold)> Accounts { get; } = new List<(string, decimal, decimal)>
        {
            ("USD", 10000m, 0m), ("BTC", 0.5m, 0.1m), ("ETH", 2m, 0m), ("SOL", 0m, 0m), ("USDC", 25.5m, 0m),
        };

        public Dictionary<string, decimal> Prices { get; } = new Dictionary<string, decimal> { ["BTC-USD"] = 50000m, ["ETH-USD"] = 2500m };

        public ConcurrentQueue<ScriptedResponse> Script { get; } = new ConcurrentQueue<ScriptedResponse>();

        public List<RecordedRequest> Requests { get; } = new List<RecordedRequest>();

        public Dictionary<string, JsonObject> Orders { get; } = new Dictionary<string, JsonObject>();

        /// <summary>Every n-th candle of <see cref="StubMarket"/> is missing (0: none).</summary>
        public int CandleGapEvery { get; set; } = 1000;

        /// <summary>Every n-th candle request is refused for the rate limit: HTTP 429 with Retry-After: 1 (0: none). Counted, not timed, so tests see it every run.</summary>
        public int CandleRateLimitEvery
        {
            get => candleRateLimitEvery;
            set
            {
                lock (gate)
                {
                    candleRateLimitEvery = value;
                    candleRequests = 0;
                }
            }
        }

        /// <summary>When set, one line per request is appended: method, path and query, status, and "jwt-ok" or why the JWT failed.</summary>
        public string? RequestLogPath { get; set; }

        private int candleRateLimitEvery;
        private int candleRequests;

        public IReadOnlyList<RecordedRequest> Snapshot()
        {
            lock (gate)
            {
                return Requests.ToList();
            }
        }

        public static async Task<CoinbaseStubServer> StartAsync(X509Certificate2 certificate, string keyName, ECDsa publicKey)
        {
            var builder = WebApplication.CreateSlimBuilder();
            builder.Logging.ClearProviders();
            builder.WebHost.ConfigureKestrel(kestrel => kestrel.Listen(IPAddress.Loopback, 0, listen => listen.UseHttps(certificate)));
            var app = builder.Build();
            var server = new CoinbaseStubServer(app, keyName, publicKey);
            app.Run(server.Handle);
            await app.StartAsync();
            var address = app.Services.GetRequiredService<IServer>().Features.Get<IServerAddressesFeature>()!.Addresses.First();
            server.Port = new Uri(address).Port;
            server.BaseUrl = $"https://127.0.0.1:{server.Port}{BasePath}";
            return server;
        }

        public async ValueTask DisposeAsync()
        {
            await app.StopAsync();
            await app.DisposeAsync();
        }

        private async Task Handle(HttpContext context)
        {
            var request = context.Request;
            string body;
            using (var reader = new System.IO.StreamReader(request.Body, Encoding.UTF8))
            {
                body = await reader.ReadToEndAsync();
            }
            var authorization = request.Headers.Authorization.ToString();
            var jwt = authorization.StartsWith("Bearer ", StringComparison.Ordinal) ? authorization.Substring(7) : string.Empty;
            var jwtError = VerifyJwt(jwt, request.Method, request.Host.Value ?? string.Empty, request.Path.Value ?? string.Empty);
            if (RequestLogPath != null)
            {
                context.Response.OnStarting(() =>
                {
                    lock (gate)
                    {
                        System.IO.File.AppendAllText(RequestLogPath, $"{request.Method} {request.Path}{request.QueryString} {context.Response.StatusCode} {jwtError ?? "jwt-ok"}\n");
                    }
                    return Task.CompletedTask;
                });
            }
            lock (gate)
            {
                Requests.Add(new RecordedRequest(request.Method, request.Path.Value ?? string.Empty, request.QueryString.Value ?? string.Empty, body, jwt, jwtError));
            }
            if (jwtError != null)
            {
                await Reply(context, 401, new JsonObject { ["error"] = "UNAUTHENTICATED", ["message"] = "invalid jwt: " + jwtError });
                return;
            }
            var path = (request.Path.Value ?? string.Empty);
            if (!path.StartsWith(BasePath + "/", StringComparison.Ordinal))
            {
                await Reply(context, 404, new JsonObject { ["error"] = "NOT_FOUND", ["message"] = "not found" });
                return;
            }
            var route = path.Substring(BasePath.Length + 1);
            if (Script.TryPeek(out var scripted) && (scripted.PathSuffix is null || route.EndsWith(scripted.PathSuffix, StringComparison.Ordinal))
                && Script.TryDequeue(out scripted))
            {
                if (scripted.RetryAfter != null)
                {
                    context.Response.Headers["Retry-After"] = scripted.RetryAfter;
                }
                context.Response.StatusCode = scripted.Status;
                context.Response.ContentType = "application/json";
                await context.Response.WriteAsync(scripted.Body);
                return;
            }
            if (IsCandles(route) && RateLimited())
            {
                context.Response.Headers["Retry-After"] = "1";
                context.Response.Headers["x-ratelimit-remaining"] = "0";
                await Reply(context, 429, new JsonObject { ["error"] = "RATE_LIMIT_EXCEEDED", ["message"] = "Too many requests" });
                return;
            }
            var trade = request.Method == "POST" && (route == "orders" || route == "orders/batch_cancel");
            if ((trade && !CanTrade) || (!trade && route != "key_permissions" && !CanView))
            {
                await Reply(context, 403, new JsonObject { ["error"] = "PERMISSION_DENIED", ["message"] = "Missing required scopes", ["error_details"] = "Missing required scopes" });
                return;
            }
            JsonNode? answer;
            int status = 200;
            lock (gate)
            {
                (status, answer) = Route(request.Method, route, request.Query, body);
            }
            await Reply(context, status, answer!);
        }

        private (int, JsonNode) Route(string method, string route, IQueryCollection query, string body)
        {
            switch (method, route)
            {
                case ("GET", "key_permissions"):
                    return (200, new JsonObject { ["can_view"] = CanView, ["can_trade"] = CanTrade, ["can_transfer"] = CanTransfer, ["portfolio_uuid"] = "8a6b1c2d-0000-4000-8000-000000000001", ["portfolio_type"] = "DEFAULT" });
                case ("GET", "accounts"):
                    var start = int.TryParse(query["cursor"], out var c) ? c : 0;
                    var limit = Math.Min(PageSize, int.TryParse(query["limit"], out var l) ? l : 49);
                    var page = Accounts.Skip(start).Take(limit).Select(a => (JsonNode)new JsonObject
                    {
                        ["uuid"] = Guid.NewGuid().ToString(),
                        ["name"] = a.Currency + " Wallet",
                        ["currency"] = a.Currency,
                        ["available_balance"] = new JsonObject { ["value"] = Text(a.Available), ["currency"] = a.Currency },
                        ["default"] = true,
                        ["active"] = true,
                        ["type"] = "ACCOUNT_TYPE_CRYPTO",
                        ["ready"] = true,
                        ["hold"] = new JsonObject { ["value"] = Text(a.Hold), ["currency"] = a.Currency },
                    }).ToArray();
                    var more = start + limit < Accounts.Count;
                    return (200, new JsonObject { ["accounts"] = new JsonArray(page), ["has_next"] = more, ["cursor"] = more ? (start + limit).ToString(CultureInfo.InvariantCulture) : "", ["size"] = page.Length });
                case ("GET", var candles) when IsCandles(candles):
                    return Candles(candles.Substring("products/".Length, candles.Length - "products/".Length - "/candles".Length), query);
                case ("GET", var product) when product.StartsWith("products/", StringComparison.Ordinal):
                    var id = product.Substring("products/".Length);
                    return Prices.TryGetValue(id, out var price)
                        ? (200, new JsonObject { ["product_id"] = id, ["price"] = Text(price), ["price_percentage_change_24h"] = "1.5", ["base_currency_id"] = id.Split('-')[0], ["quote_currency_id"] = id.Split('-')[1] })
                        : (404, new JsonObject { ["error"] = "NOT_FOUND", ["message"] = "ProductID is invalid", ["error_details"] = "", });
                case ("POST", "orders"):
                    return (200, CreateOrder(JsonNode.Parse(body)!.AsObject()));
                case ("POST", "orders/preview"):
                    var preview = JsonNode.Parse(body)!.AsObject();
                    var (size, limitPrice, _) = Configuration(preview);
                    var productId = (string)preview["product_id"]!;
                    var at = limitPrice ?? Prices.GetValueOrDefault(productId);
                    var commission = Math.Round(size * at * 0.006m, 2);
                    return (200, new JsonObject
                    {
                        ["order_total"] = Text(size * at + commission), ["commission_total"] = Text(commission), ["errs"] = new JsonArray(), ["warning"] = new JsonArray(),
                        ["quote_size"] = Text(size * at), ["base_size"] = Text(size), ["best_bid"] = Text(at - 1m), ["best_ask"] = Text(at + 1m), ["is_max"] = false,
                    });
                case ("GET", "orders/historical/batch"):
                    return (200, new JsonObject { ["orders"] = new JsonArray(Orders.Values.Select(o => (JsonNode)o.DeepClone()).ToArray()), ["has_next"] = false, ["cursor"] = "" });
                case ("GET", var historical) when historical.StartsWith("orders/historical/", StringComparison.Ordinal):
                    var orderId = historical.Substring("orders/historical/".Length);
                    return Orders.TryGetValue(orderId, out var found)
                        ? (200, new JsonObject { ["order"] = found.DeepClone() })
                        : (404, new JsonObject { ["error"] = "NOT_FOUND", ["message"] = "order not found" });
                case ("POST", "orders/batch_cancel"):
                    var ids = JsonNode.Parse(body)!["order_ids"]!.AsArray().Select(n => (string)n!).ToArray();
                    return (200, new JsonObject
                    {
                        ["results"] = new JsonArray(ids.Select(i =>
                        {
                            var ok = Orders.TryGetValue(i, out var order) && (string)order["status"]! == "OPEN";
                            if (ok)
                            {
                                order!["status"] = "CANCELLED";
                            }
                            return (JsonNode)new JsonObject { ["success"] = ok, ["failure_reason"] = ok ? "UNKNOWN_CANCEL_FAILURE_REASON" : "UNKNOWN_CANCEL_ORDER", ["order_id"] = i };
                        }).ToArray()),
                    });
                default:
                    return (404, new JsonObject { ["error"] = "NOT_FOUND", ["message"] = $"no route {method} {route}" });
            }
        }

        private static bool IsCandles(string route) => route.StartsWith("products/", StringComparison.Ordinal) && route.EndsWith("/candles", StringComparison.Ordinal);

        // start and end are Unix seconds, end inclusive; at most 350 candles; newest first; gaps left out; the candle still forming included, as Coinbase does.
        private (int, JsonNode) Candles(string productId, IQueryCollection query)
        {
            if (!Prices.ContainsKey(productId))
            {
                return (404, new JsonObject { ["error"] = "NOT_FOUND", ["message"] = "ProductID is invalid", ["error_details"] = "" });
            }
            var granularity = StubMarket.Seconds(query["granularity"]);
            if (granularity is null || !long.TryParse(query["start"], out var start) || !long.TryParse(query["end"], out var end) || end < start)
            {
                return (400, new JsonObject { ["error"] = "INVALID_ARGUMENT", ["message"] = "start, end and granularity are required", ["error_details"] = "" });
            }
            var step = granularity.Value;
            var first = (start + step - 1) / step * step;
            if ((end - first) / step + 1 > 350)
            {
                return (400, new JsonObject { ["error"] = "INVALID_ARGUMENT", ["message"] = "number of candles requested should be less than 350", ["error_details"] = "" });
            }
            var forming = DateTimeOffset.UtcNow.ToUnixTimeSeconds() / step * step;
            var candles = new JsonArray();
            for (var at = Math.Min(end / step * step, forming); at >= first; at -= step)
            {
                if (StubMarket.IsGap(at, step, CandleGapEvery))
                {
                    continue;
                }
                var (open, high, low, close, volume) = StubMarket.Candle(at, step);
                candles.Add(new JsonObject
                {
                    ["start"] = at.ToString(CultureInfo.InvariantCulture), ["low"] = Text(low), ["high"] = Text(high),
                    ["open"] = Text(open), ["close"] = Text(close), ["volume"] = Text(volume),
                });
            }
            return (200, new JsonObject { ["candles"] = candles });
        }

        private bool RateLimited()
        {
            lock (gate)
            {
                candleRequests++;
                return candleRateLimitEvery > 0 && candleRequests % candleRateLimitEvery == 0;
            }
        }

        private JsonObject CreateOrder(JsonObject body)
        {
            var clientOrderId = (string?)body["client_order_id"] ?? string.Empty;
            var productId = (string?)body["product_id"] ?? string.Empty;
            var side = (string?)body["side"] ?? string.Empty;
            var existing = Orders.Values.FirstOrDefault(o => (string)o["client_order_id"]! == clientOrderId);
            if (existing != null)
            {
                return Success(existing);
            }
            if (clientOrderId.Length == 0 || !Prices.TryGetValue(productId, out var price))
            {
                return Failure("INVALID_ARGUMENT", clientOrderId.Length == 0 ? "client_order_id is required" : "ProductID is invalid", "UNKNOWN_FAILURE_REASON");
            }
            var (size, limit, configuration) = Configuration(body);
            var usd = Accounts.First(a => a.Currency == "USD").Available;
            if (side == "BUY" && size * (limit ?? price) > usd)
            {
                return Failure("INSUFFICIENT_FUND", "Insufficient balance in source account", "INSUFFICIENT_FUND");
            }
            var marketable = limit is null || (side == "BUY" ? limit >= price : limit <= price);
            var id = Guid.NewGuid().ToString();
            var order = new JsonObject
            {
                ["order_id"] = id,
                ["product_id"] = productId,
                ["user_id"] = "stub-user",
                ["order_configuration"] = configuration.DeepClone(),
                ["side"] = side,
                ["client_order_id"] = clientOrderId,
                ["status"] = marketable ? "FILLED" : "OPEN",
                ["time_in_force"] = limit is null ? "IMMEDIATE_OR_CANCEL" : "GOOD_UNTIL_CANCELLED",
                ["created_time"] = DateTime.UtcNow.ToString("yyyy-MM-dd'T'HH:mm:ss.ffffff'Z'", CultureInfo.InvariantCulture),
                ["completion_percentage"] = marketable ? "100" : "0",
                ["filled_size"] = Text(marketable ? size : 0m),
                ["average_filled_price"] = Text(marketable ? (limit is null ? price : Math.Min(price, limit.Value)) : 0m),
                ["order_type"] = limit is null ? "MARKET" : "LIMIT",
            };
            Orders[id] = order;
            return Success(order);
        }

        private static JsonObject Success(JsonObject order) => new JsonObject
        {
            ["success"] = true,
            ["success_response"] = new JsonObject { ["order_id"] = (string)order["order_id"]!, ["product_id"] = (string)order["product_id"]!, ["side"] = (string)order["side"]!, ["client_order_id"] = (string)order["client_order_id"]! },
            ["order_configuration"] = order["order_configuration"]!.DeepClone(),
        };

        private static JsonObject Failure(string error, string message, string reason) => new JsonObject
        {
            ["success"] = false,
            ["failure_reason"] = "UNKNOWN_FAILURE_REASON",
            ["error_response"] = new JsonObject { ["error"] = error, ["message"] = message, ["error_details"] = message, ["preview_failure_reason"] = "PREVIEW_" + reason, ["new_order_failure_reason"] = reason },
        };

        private static (decimal Size, decimal? Limit, JsonObject Configuration) Configuration(JsonObject body)
        {
            var configuration = body["order_configuration"]!.AsObject();
            if (configuration["limit_limit_gtc"] is JsonObject limit)
            {
                return (Parse(limit["base_size"]), Parse(limit["limit_price"]), configuration);
            }
            var market = configuration["market_market_ioc"]!.AsObject();
            return (Parse(market["base_size"]), null, configuration);
        }

        private static decimal Parse(JsonNode? node) => decimal.Parse((string)node!, NumberStyles.Number, CultureInfo.InvariantCulture);

        private static string Text(decimal value) => value.ToString(CultureInfo.InvariantCulture);

        private static async Task Reply(HttpContext context, int status, JsonNode body)
        {
            context.Response.StatusCode = status;
            context.Response.ContentType = "application/json";
            await context.Response.WriteAsync(body.ToJsonString());
        }

        /// <summary>Null when the token is valid for this request; else why not.</summary>
        public string? VerifyJwt(string jwt, string method, string host, string path)
        {
            var parts = jwt.Split('.');
            if (parts.Length != 3)
            {
                return "not a JWS compact token";
            }
            try
            {
                using var header = JsonDocument.Parse(Decode(parts[0]));
                using var claims = JsonDocument.Parse(Decode(parts[1]));
                var h = header.RootElement;
                var p = claims.RootElement;
                if (h.GetProperty("alg").GetString() != "ES256") return "alg is not ES256";
                if (h.GetProperty("typ").GetString() != "JWT") return "typ is not JWT";
                if (h.GetProperty("kid").GetString() != KeyName) return "kid is not the key name";
                var nonce = h.GetProperty("nonce").GetString() ?? string.Empty;
                if (nonce.Length < 16 || nonce.Any(ch => !Uri.IsHexDigit(ch))) return "nonce is not random hex";
                lock (nonces)
                {
                    if (!nonces.Add(nonce)) return "nonce was used before";
                }
                if (p.GetProperty("iss").GetString() != "cdp") return "iss is not cdp";
                if (p.GetProperty("sub").GetString() != KeyName) return "sub is not the key name";
                var now = DateTimeOffset.UtcNow.ToUnixTimeSeconds();
                var nbf = p.GetProperty("nbf").GetInt64();
                var exp = p.GetProperty("exp").GetInt64();
                if (nbf > now + 5 || nbf < now - 30) return "nbf is not now";
                if (exp != nbf + 120) return "exp is not nbf + 120";
                if (exp <= now) return "expired";
                var uri = p.GetProperty("uri").GetString();
                if (uri != $"{method} {host}{path}") return $"uri '{uri}' does not match the request";
                var signature = Decode(parts[2]);
                if (signature.Length != 64) return "signature is not 64 bytes (r||s)";
                if (!publicKey.VerifyData(Encoding.ASCII.GetBytes(parts[0] + "." + parts[1]), signature, HashAlgorithmName.SHA256, DSASignatureFormat.IeeeP1363FixedFieldConcatenation))
                {
                    return "bad signature";
                }
                return null;
            }
            catch (Exception e) when (e is JsonException || e is FormatException || e is KeyNotFoundException || e is InvalidOperationException)
            {
                return "malformed: " + e.GetType().Name;
            }
        }

        private static byte[] Decode(string part)
        {
            if (part.Contains('=') || part.Contains('+') || part.Contains('/')) throw new FormatException("not base64url");
            var padded = part.Replace('-', '+').Replace('_', '/');
            padded += new string('=', (4 - padded.Length % 4) % 4);
            return Convert.FromBase64String(padded);
        }
    }
}
