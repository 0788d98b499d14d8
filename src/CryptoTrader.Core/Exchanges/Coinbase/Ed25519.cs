using System;
using System.Numerics;
using System.Security.Cryptography;
using CryptoTrader.Core.Crypto;

namespace CryptoTrader.Core.Exchanges.Coinbase
{
    /// <summary>
    /// Ed25519 signing (RFC 8032, pure EdDSA) for newer CDP keys, which neither .NET Framework nor .NET 8 offer.
    /// Plain BigInteger arithmetic in extended coordinates: not constant-time, so the timing of one signature can
    /// say something about the key to someone measuring it on this machine; it signs one short JWT per request.
    /// </summary>
    internal static class Ed25519
    {
        private static readonly BigInteger P = BigInteger.Pow(2, 255) - 19;
        private static readonly BigInteger L = BigInteger.Pow(2, 252) + BigInteger.Parse("27742317777372353535851937790883648493");
        private static readonly BigInteger D = Mod(-121665 * Inverse(121666));
        private static readonly BigInteger SqrtMinusOne = BigInteger.ModPow(2, (P - 1) / 4, P);
        private static readonly Point Base = BasePoint();

        /// <summary>The 32-byte public key of a 32-byte seed.</summary>
        public static byte[] PublicKey(byte[] seed)
        {
            var (a, _) = Expand(seed);
            return Encode(Multiply(Base, a));
        }

        /// <summary>The 64-byte signature R || S of the message.</summary>
        public static byte[] Sign(byte[] seed, byte[] message)
        {
            var (a, prefix) = Expand(seed);
            var publicKey = Encode(Multiply(Base, a));
            using var sha = SHA512.Create();
            var r = Mod(FromLittleEndian(sha.ComputeHash(ByteArrays.Concat(prefix, message))), L);
            var encodedR = Encode(Multiply(Base, r));
            var k = Mod(FromLittleEndian(sha.ComputeHash(ByteArrays.Concat(encodedR, publicKey, message))), L);
            var s = Mod(r + k * a, L);
            Array.Clear(prefix, 0, prefix.Length);
            return ByteArrays.Concat(encodedR, ToLittleEndian(s, 32));
        }

        private static (BigInteger A, byte[] Prefix) Expand(byte[] seed)
        {
            if (seed.Length != 32)
            {
                throw new ArgumentException("An Ed25519 seed is 32 bytes.", nameof(seed));
            }
            byte[] h;
            using (var sha = SHA512.Create())
            {
                h = sha.ComputeHash(seed);
            }
            var scalar = new byte[32];
            Array.Copy(h, scalar, 32);
            scalar[0] &= 248;
            scalar[31] &= 127;
            scalar[31] |= 64;
            var prefix = new byte[32];
            Array.Copy(h, 32, prefix, 0, 32);
            var a = FromLittleEndian(scalar);
            Array.Clear(h, 0, h.Length);
            Array.Clear(scalar, 0, scalar.Length);
            return (a, prefix);
        }

        private readonly struct Point
        {
            public Point(BigInteger x, BigInteger y, BigInteger z, BigInteger t)
            {
                X = x;
                Y = y;
                Z = z;
                T = t;
            }

            public BigInteger X { get; }

            public BigInteger Y { get; }

            public BigInteger Z { get; }

            public BigInteger T { get; }
        }

        private static Point Add(Point p, Point q)
        {
            var a = Mod((p.Y - p.X) * (q.Y - q.X));
            var b = Mod((p.Y + p.X) * (q.Y + q.X));
            var c = Mod(p.T * 2 * D * q.T);
            var d = Mod(p.Z * 2 * q.Z);
            var e = b - a;
            var f = d - c;
            var g = d + c;
            var h = b + a;
            return new Point(Mod(e * f), Mod(g * h), Mod(f * g), Mod(e * h));
        }

        private static Point Multiply(Point point, BigInteger scalar)
        {
            var result = new Point(0, 1, 1, 0);
            var addend = point;
            while (scalar > 0)
            {
                if (!scalar.IsEven)
                {
                    result = Add(result, addend);
                }
                addend = Add(addend, addend);
                scalar >>= 1;
            }
            return result;
        }

        private static byte[] Encode(Point point)
        {
            var zInverse = Inverse(point.Z);
            var x = Mod(point.X * zInverse);
            var y = Mod(point.Y * zInverse);
            var bytes = ToLittleEndian(y, 32);
            if (!x.IsEven)
            {
                bytes[31] |= 0x80;
            }
            return bytes;
        }

        private static Point BasePoint()
        {
            var y = Mod(4 * Inverse(5));
            var x = RecoverX(y);
            return new Point(x, y, 1, Mod(x * y));
        }

        private static BigInteger RecoverX(BigInteger y)
        {
            var x2 = Mod((y * y - 1) * Inverse(D * y * y + 1));
            var x = BigInteger.ModPow(x2, (P + 3) / 8, P);
            if (Mod(x * x - x2) != 0)
            {
                x = Mod(x * SqrtMinusOne);
            }
            return x.IsEven ? x : P - x;
        }

        private static BigInteger Inverse(BigInteger value) => BigInteger.ModPow(Mod(value), P - 2, P);

        private static BigInteger Mod(BigInteger value) => Mod(value, P);

        private static BigInteger Mod(BigInteger value, BigInteger modulus)
        {
            var r = BigInteger.Remainder(value, modulus);
            return r.Sign < 0 ? r + modulus : r;
        }

        private static BigInteger FromLittleEndian(byte[] bytes)
        {
            var unsigned = new byte[bytes.Length + 1];
            Array.Copy(bytes, unsigned, bytes.Length);
            return new BigInteger(unsigned);
        }

        private static byte[] ToLittleEndian(BigInteger value, int length)
        {
            var bytes = value.ToByteArray();
            var result = new byte[length];
            Array.Copy(bytes, result, Math.Min(length, bytes.Length));
            return result;
        }
    }
}
