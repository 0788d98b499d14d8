using System;
using System.Collections.Generic;
using System.IO;
using System.Linq;
using System.Text;
using System.Text.Json;

namespace CryptoTrader.Core.Audit
{
    /// <summary>
    /// What the permission gate decides on, folded from the audit records themselves: per credential, the latest
    /// PERMISSION_CHANGED record and the orders placed on each UTC day. Only a record's MAC'd fields (sequence,
    /// timestamp, event type, details) feed the fold, never the indexed columns beside them, so a column edited to
    /// hide a revocation or an order changes nothing here. The facts are current at one record (<see cref="Sequence"/>,
    /// <see cref="Mac"/>), and <see cref="AuditStateStore"/> keeps them MAC'd in the same transaction as each append.
    /// </summary>
    internal sealed class AuditFacts
    {
        private readonly SortedDictionary<string, CredentialFacts> credentials = new SortedDictionary<string, CredentialFacts>(StringComparer.Ordinal);

        private AuditFacts(long sequence, string mac)
        {
            Sequence = sequence;
            Mac = mac;
        }

        /// <summary>The record these facts include last (0 and empty for an empty log).</summary>
        public long Sequence { get; private set; }

        public string Mac { get; private set; }

        public static AuditFacts Empty() => new AuditFacts(0, string.Empty);

        /// <summary>The sequence of the credential's latest PERMISSION_CHANGED record, or 0 when it has none.</summary>
        public long LatestPermission(string exchange, string name) =>
            credentials.TryGetValue(Key(exchange, name), out var facts) ? facts.LatestPermission : 0;

        /// <summary>Orders (not cancels) the credential requested on the UTC day of <paramref name="now"/>.</summary>
        public long OrdersOn(string exchange, string name, DateTimeOffset now) =>
            credentials.TryGetValue(Key(exchange, name), out var facts) && facts.OrderDay == Day(now) ? facts.OrdersThatDay : 0;

        /// <summary>The credentials that have had a permission record, with the sequence of their latest.</summary>
        public IEnumerable<(string Exchange, string Name, long LatestPermission)> Permissions =>
            credentials.Where(c => c.Value.LatestPermission != 0)
                .Select(c => (c.Key.Substring(0, c.Key.IndexOf('\n')), c.Key.Substring(c.Key.IndexOf('\n') + 1), c.Value.LatestPermission));

        /// <summary>Adds the next record of the chain (the next sequence, unless a repair accepted a gap), read from its MAC'd fields.</summary>
        public void Apply(long sequence, string timestamp, string eventType, string detailsJson, string mac)
        {
            Skip(sequence, mac);
            if (eventType != AuditEventType.PermissionChanged && eventType != AuditEventType.TradeRequested)
            {
                return;
            }
            var (exchange, name, action) = ReadCredential(detailsJson);
            if (exchange is null || name is null)
            {
                return;
            }
            var key = Key(exchange, name);
            if (!credentials.TryGetValue(key, out var facts))
            {
                facts = new CredentialFacts();
                credentials[key] = facts;
            }
            if (eventType == AuditEventType.PermissionChanged)
            {
                facts.LatestPermission = sequence;
            }
            else if (action != "cancel")
            {
                var day = timestamp.Length >= 10 ? timestamp.Substring(0, 10) : timestamp;
                facts.OrdersThatDay = facts.OrderDay == day ? facts.OrdersThatDay + 1 : 1;
                facts.OrderDay = day;
            }
        }

        /// <summary>Moves past a record whose fields cannot be trusted (a repair acknowledged it), learning nothing from it.</summary>
        public void Skip(long sequence, string mac)
        {
            if (sequence <= Sequence)
            {
                throw new InvalidOperationException($"Audit facts at record {Sequence} cannot take record {sequence}.");
            }
            Sequence = sequence;
            Mac = mac;
        }

        public string ToJson()
        {
            using var buffer = new MemoryStream();
            using (var writer = new Utf8JsonWriter(buffer))
            {
                writer.WriteStartObject();
                writer.WriteNumber("sequence", Sequence);
                writer.WriteString("mac", Mac);
                writer.WriteStartArray("credentials");
                foreach (var pair in credentials)
                {
                    var separator = pair.Key.IndexOf('\n');
                    writer.WriteStartObject();
                    writer.WriteString("exchange", pair.Key.Substring(0, separator));
                    writer.WriteString("name", pair.Key.Substring(separator + 1));
                    writer.WriteNumber("permission", pair.Value.LatestPermission);
                    writer.WriteString("day", pair.Value.OrderDay);
                    writer.WriteNumber("orders", pair.Value.OrdersThatDay);
                    writer.WriteEndObject();
                }
                writer.WriteEndArray();
                writer.WriteEndObject();
            }
            return Encoding.UTF8.GetString(buffer.ToArray());
        }

        /// <exception cref="JsonException">Not what <see cref="ToJson"/> writes.</exception>
        public static AuditFacts FromJson(string json)
        {
            using var document = JsonDocument.Parse(json);
            var root = document.RootElement;
            var facts = new AuditFacts(root.GetProperty("sequence").GetInt64(), root.GetProperty("mac").GetString() ?? string.Empty);
            foreach (var entry in root.GetProperty("credentials").EnumerateArray())
            {
                facts.credentials[Key(entry.GetProperty("exchange").GetString()!, entry.GetProperty("name").GetString()!)] = new CredentialFacts
                {
                    LatestPermission = entry.GetProperty("permission").GetInt64(),
                    OrderDay = entry.GetProperty("day").GetString() ?? string.Empty,
                    OrdersThatDay = entry.GetProperty("orders").GetInt64(),
                };
            }
            return facts;
        }

        // A newline never occurs in an exchange or credential name (both are validated identifiers).
        private static string Key(string exchange, string name) => exchange + "\n" + name;

        private static string Day(DateTimeOffset time) => AuditTime.Format(time).Substring(0, 10);

        private static (string? Exchange, string? Name, string? Action) ReadCredential(string detailsJson)
        {
            try
            {
                using var document = JsonDocument.Parse(detailsJson);
                if (document.RootElement.ValueKind != JsonValueKind.Object)
                {
                    return (null, null, null);
                }
                return (Text(document.RootElement, "exchange"), Text(document.RootElement, "name"), Text(document.RootElement, "action"));
            }
            catch (JsonException)
            {
                return (null, null, null);
            }
        }

        private static string? Text(JsonElement details, string property) =>
            details.EnumerateObject().Where(p => p.Name == property).Select(p => p.Value).FirstOrDefault() is { ValueKind: JsonValueKind.String } value
                ? value.GetString()
                : null;

        private sealed class CredentialFacts
        {
            public long LatestPermission { get; set; }

            public string OrderDay { get; set; } = string.Empty;

            public long OrdersThatDay { get; set; }
        }
    }
}
