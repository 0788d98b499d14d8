using System;
using CryptoTrader.Core.Errors;
using System.Collections.Generic;
using System.Globalization;
using System.Linq;
using System.Net.Http;
using System.Text.Json;
using CryptoTrader.Core.Credentials;
using CryptoTrader.Core.Trading;

namespace CryptoTrader.Core.Exchanges.Coinbase
{
    /// <summary>
    /// Coinbase Advanced Trade (REST, CDP keys). Money is decimal, parsed from the exchange's strings with the
    /// invariant culture. Internal like every adapter: reachable only through <see cref="TradingService"/>.
    /// </summary>
    internal sealed class CoinbaseAdapter : IExchangeAdapter
    {
        private const int MaxPages = 100;
        private readonly CoinbaseHttp http;

        public CoinbaseAdapter(CoinbaseHttp http)
        {
            this.http = http;
        }

        public IReadOnlyList<Balance> GetBalances(ApiCredential credential)
        {
            var balances = new List<Balance>();
            string? cursor = null;
            for (var page = 0; page < MaxPages; page++)
            {
                var query = "limit=250" + (string.IsNullOrEmpty(cursor) ? string.Empty : "&cursor=" + Uri.EscapeDataString(cursor));
                using var document = http.Send(credential, HttpMethod.Get, "accounts", query, null, true, "the account list");
                var root = document.RootElement;
                foreach (var account in Array(root, "accounts"))
                {
                    balances.Add(new Balance
                    {
                        Exchange = ExchangeCatalog.Coinbase,
                        Name = credential.Name,
                        Currency = String(account, "currency"),
                        Available = Money(account, "available_balance") ?? 0m,
                        Hold = Money(account, "hold") ?? 0m,
                    });
                }
                if (!(root.TryGetProperty("has_next", out var next) && next.ValueKind == JsonValueKind.True))
                {
                    return balances;
                }
                cursor = String(root, "cursor");
                if (cursor.Length == 0)
                {
                    throw new ExchangeException(ErrorIds.ExchangeResponseInvalid, "Coinbase said more accounts follow but gave no cursor.");
                }
            }
            throw new ExchangeException(ErrorIds.ExchangeResponseInvalid, $"Coinbase returned more than {MaxPages} pages of accounts.");
        }

        public Ticker GetTicker(ApiCredential credential, string symbol)
        {
            using var document = http.Send(credential, HttpMethod.Get, "products/" + Uri.EscapeDataString(symbol), null, null, true, $"the price of {symbol}");
            var price = Decimal(document.RootElement, "price")
                ?? throw new ExchangeException(ErrorIds.UnknownSymbol, $"Coinbase has no price for {symbol}.");
            var now = DateTime.UtcNow;
            return new Ticker { Exchange = ExchangeCatalog.Coinbase, Symbol = symbol, Price = price, Time = new DateTime(now.Ticks - now.Ticks % TimeSpan.TicksPerSecond, DateTimeKind.Utc) };
        }

        public IReadOnlyList<Order> GetOrders(ApiCredential credential, string? orderId)
        {
            if (orderId != null)
            {
                return new[] { GetOrder(credential, orderId) };
            }
            var orders = new List<Order>();
            string? cursor = null;
            for (var page = 0; page < MaxPages; page++)
            {
                var query = "limit=100" + (string.IsNullOrEmpty(cursor) ? string.Empty : "&cursor=" + Uri.EscapeDataString(cursor));
                using var document = http.Send(credential, HttpMethod.Get, "orders/historical/batch", query, null, true, "the order list");
                var root = document.RootElement;
                orders.AddRange(Array(root, "orders").Select(o => ToOrder(credential, o)));
                if (!(root.TryGetProperty("has_next", out var next) && next.ValueKind == JsonValueKind.True))
                {
                    break;
                }
                cursor = String(root, "cursor");
                if (cursor.Length == 0)
                {
                    break;
                }
            }
            return orders;
        }

        // Coinbase's reasons that have an ErrorId of their own on every exchange; any other is OrderRejected.
        private static string RejectionId(List<string> reasons) =>
            reasons.Any(r => r.IndexOf("INSUFFICIENT_FUND", StringComparison.OrdinalIgnoreCase) >= 0) ? ErrorIds.InsufficientFunds
            : reasons.Any(r => r.IndexOf("UNKNOWN_PRODUCT", StringComparison.OrdinalIgnoreCase) >= 0 || r.IndexOf("INVALID_PRODUCT", StringComparison.OrdinalIgnoreCase) >= 0) ? ErrorIds.UnknownSymbol
            : ErrorIds.OrderRejected;

        public Order PlaceOrder(ApiCredential credential, OrderRequest request)
        {
            // Retrying is safe: the client_order_id makes Coinbase answer a repeated create with the first order.
            var body = CoinbaseHttp.Body(writer =>
            {
                writer.WriteString("client_order_id", request.ClientOrderId);
                WriteOrder(writer, request);
            });
            using var document = http.Send(credential, HttpMethod.Post, "orders", null, body, retryable: true, $"the order {request}");
            var root = document.RootElement;
            var success = root.TryGetProperty("success", out var flag) && flag.ValueKind == JsonValueKind.True;
            if (!success || !root.TryGetProperty("success_response", out var created))
            {
                var parts = new List<string>();
                if (root.TryGetProperty("error_response", out var error) && error.ValueKind == JsonValueKind.Object)
                {
                    CoinbaseHttp.AddStrings(parts, error, "error", "message", "error_details", "preview_failure_reason", "new_order_failure_reason");
                }
                CoinbaseHttp.AddStrings(parts, root, "failure_reason");
                throw new ExchangeException(RejectionId(parts), "Coinbase rejected the order: " + CoinbaseHttp.Clean(parts));
            }
            var orderId = String(created, "order_id");
            try
            {
                return GetOrder(credential, orderId);
            }
            catch (ExchangeException)
            {
                // Placed, but its state could not be read back: report it as pending rather than as a failure.
                return new Order
                {
                    Exchange = ExchangeCatalog.Coinbase,
                    Name = credential.Name,
                    OrderId = orderId,
                    ClientOrderId = request.ClientOrderId,
                    Symbol = request.Symbol,
                    Side = request.Side.ToString(),
                    Type = request.OrderType,
                    Quantity = request.Quantity,
                    LimitPrice = request.LimitPrice,
                    Status = OrderStatus.Pending,
                    Created = DateTime.UtcNow,
                };
            }
        }

        public Order CancelOrder(ApiCredential credential, string orderId)
        {
            var body = CoinbaseHttp.Body(writer =>
            {
                writer.WriteStartArray("order_ids");
                writer.WriteStringValue(orderId);
                writer.WriteEndArray();
            });
            // Cancelling twice is harmless, so a cancel may be retried.
            using (var document = http.Send(credential, HttpMethod.Post, "orders/batch_cancel", null, body, retryable: true, $"cancelling order '{orderId}'"))
            {
                var result = Array(document.RootElement, "results").FirstOrDefault();
                if (result.ValueKind != JsonValueKind.Object || !(result.TryGetProperty("success", out var ok) && ok.ValueKind == JsonValueKind.True))
                {
                    var reasons = new List<string>();
                    if (result.ValueKind == JsonValueKind.Object)
                    {
                        CoinbaseHttp.AddStrings(reasons, result, "failure_reason");
                    }
                    throw new ExchangeException(ErrorIds.CancelRejected, $"Coinbase did not cancel order '{orderId}': {CoinbaseHttp.Clean(reasons)}.");
                }
            }
            return GetOrder(credential, orderId);
        }

        public KeyCapabilities GetKeyPermissions(ApiCredential credential)
        {
            using var document = http.Send(credential, HttpMethod.Get, "key_permissions", null, null, true, "the key's permissions");
            var root = document.RootElement;
            return new KeyCapabilities(Bool(root, "can_view"), Bool(root, "can_trade"), Bool(root, "can_transfer"));
        }

        public OrderPreview PreviewOrder(ApiCredential credential, OrderRequest request)
        {
            var body = CoinbaseHttp.Body(writer => WriteOrder(writer, request));
            using var document = http.Send(credential, HttpMethod.Post, "orders/preview", null, body, retryable: true, $"the preview of {request}");
            var root = document.RootElement;
            return new OrderPreview(ExchangeCatalog.Coinbase, credential.Name, request)
            {
                OrderTotal = Decimal(root, "order_total"),
                CommissionTotal = Decimal(root, "commission_total"),
                BestBid = Decimal(root, "best_bid"),
                BestAsk = Decimal(root, "best_ask"),
                Errors = Array(root, "errs").Where(e => e.ValueKind == JsonValueKind.String).Select(e => e.GetString() ?? string.Empty).ToArray(),
                Warnings = Array(root, "warning").Where(e => e.ValueKind == JsonValueKind.String).Select(e => e.GetString() ?? string.Empty).ToArray(),
            };
        }

        private Order GetOrder(ApiCredential credential, string orderId)
        {
            using var document = http.Send(credential, HttpMethod.Get, "orders/historical/" + Uri.EscapeDataString(orderId), null, null, true, $"order '{orderId}'");
            if (!document.RootElement.TryGetProperty("order", out var order) || order.ValueKind != JsonValueKind.Object)
            {
                throw new ExchangeException(ErrorIds.ExchangeResponseInvalid, $"Coinbase's answer for order '{orderId}' has no order.");
            }
            return ToOrder(credential, order);
        }

        private static void WriteOrder(Utf8JsonWriter writer, OrderRequest request)
        {
            writer.WriteString("product_id", request.Symbol);
            writer.WriteString("side", request.Side == OrderSide.Buy ? "BUY" : "SELL");
            writer.WriteStartObject("order_configuration");
            if (request.LimitPrice is decimal limit)
            {
                writer.WriteStartObject("limit_limit_gtc");
                writer.WriteString("base_size", Format(request.Quantity));
                writer.WriteString("limit_price", Format(limit));
                writer.WriteBoolean("post_only", false);
            }
            else
            {
                writer.WriteStartObject("market_market_ioc");
                writer.WriteString("base_size", Format(request.Quantity));
            }
            writer.WriteEndObject();
            writer.WriteEndObject();
        }

        private static Order ToOrder(ApiCredential credential, JsonElement order)
        {
            var result = new Order
            {
                Exchange = ExchangeCatalog.Coinbase,
                Name = credential.Name,
                OrderId = String(order, "order_id"),
                ClientOrderId = String(order, "client_order_id"),
                Symbol = String(order, "product_id"),
                Side = String(order, "side") == "SELL" ? nameof(OrderSide.Sell) : nameof(OrderSide.Buy),
                Status = Status(String(order, "status")),
                FilledQuantity = Decimal(order, "filled_size") ?? 0m,
                AveragePrice = Decimal(order, "average_filled_price") is decimal average && average > 0m ? average : (decimal?)null,
                Created = DateTime.TryParse(String(order, "created_time"), CultureInfo.InvariantCulture,
                    DateTimeStyles.AdjustToUniversal | DateTimeStyles.AssumeUniversal, out var created) ? created : DateTime.SpecifyKind(default, DateTimeKind.Utc),
            };
            if (order.TryGetProperty("order_configuration", out var configuration) && configuration.ValueKind == JsonValueKind.Object)
            {
                if (configuration.TryGetProperty("limit_limit_gtc", out var limit))
                {
                    result.Type = "Limit";
                    result.Quantity = Decimal(limit, "base_size") ?? 0m;
                    result.LimitPrice = Decimal(limit, "limit_price");
                }
                else if (configuration.TryGetProperty("market_market_ioc", out var market))
                {
                    result.Type = "Market";
                    result.Quantity = Decimal(market, "base_size") ?? result.FilledQuantity;
                }
            }
            return result;
        }

        private static string Status(string status) => status switch
        {
            "OPEN" or "PENDING" or "QUEUED" => OrderStatus.Open,
            "FILLED" => OrderStatus.Filled,
            "CANCELLED" or "CANCEL_QUEUED" => OrderStatus.Cancelled,
            "EXPIRED" => OrderStatus.Expired,
            "FAILED" => OrderStatus.Failed,
            "" => OrderStatus.Unknown,
            _ => status.Substring(0, 1) + status.Substring(1).ToLowerInvariant(),
        };

        /// <summary>Invariant, without trailing zeros: 0.0100 -> "0.01".</summary>
        internal static string Format(decimal value)
        {
            var text = value.ToString(CultureInfo.InvariantCulture);
            return text.IndexOf('.') >= 0 ? text.TrimEnd('0').TrimEnd('.') : text;
        }

        private static IEnumerable<JsonElement> Array(JsonElement element, string name) =>
            element.ValueKind == JsonValueKind.Object && element.TryGetProperty(name, out var array) && array.ValueKind == JsonValueKind.Array
                ? array.EnumerateArray().ToList()
                : new List<JsonElement>();

        private static string String(JsonElement element, string name) =>
            element.ValueKind == JsonValueKind.Object && element.TryGetProperty(name, out var value) && value.ValueKind == JsonValueKind.String
                ? value.GetString() ?? string.Empty
                : string.Empty;

        private static bool Bool(JsonElement element, string name) =>
            element.TryGetProperty(name, out var value) && value.ValueKind == JsonValueKind.True;

        private static decimal? Decimal(JsonElement element, string name)
        {
            var text = String(element, name);
            if (text.Length == 0)
            {
                return null;
            }
            if (!decimal.TryParse(text, NumberStyles.Number | NumberStyles.AllowExponent, CultureInfo.InvariantCulture, out var value))
            {
                throw new ExchangeException(ErrorIds.ExchangeResponseInvalid, $"Coinbase sent '{name}' as '{text}', which is not a number.");
            }
            return value;
        }

        // Advanced Trade money: {"value": "1.23", "currency": "USD"}.
        private static decimal? Money(JsonElement element, string name) =>
            element.TryGetProperty(name, out var money) && money.ValueKind == JsonValueKind.Object ? Decimal(money, "value") : null;
    }
}
