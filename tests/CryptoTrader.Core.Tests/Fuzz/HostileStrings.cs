using CsCheck;

namespace CryptoTrader.Core.Tests.Fuzz
{
    /// <summary>Strings that user-facing parameters get wrong: empty, blank, huge, control characters, odd Unicode, injection-shaped.</summary>
    internal static class HostileStrings
    {
        public static readonly string[] Fixed =
        {
            "", " ", "\t\r\n", "\0", "a\0b", new string('x', 10_000), "../../etc/passwd", "..\\..\\windows", "' OR 1=1 --", "\"; DROP TABLE credentials; --",
            "*", "?", "[a-z]", "`$(whoami)", "%s%n", "1e400", "-0", "NaN", "-1", "79228162514264337593543950336", "0.0000000000000000000000000001",
            "\u202eevil", "\ud800", "\uffff", "e\u0301", "\u0130", "ＰＡＰＥＲ", "paper\n", " paper ", "PAPER", "coinbase\0", "default", "k0123456789abcdef",
        };

        public static readonly Gen<string> Any = Gen.Frequency(
            (3, Gen.OneOf(Fixed)),
            (1, Gen.String),
            (1, Gen.String[Gen.Char[Mutations.EdgeChars], 0, 80]));
    }
}
