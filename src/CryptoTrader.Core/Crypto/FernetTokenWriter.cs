using System;
using System.Buffers;
using System.Buffers.Binary;
using System.Security.Cryptography;

namespace CryptoTrader.Core.Crypto
{
    /// <summary>
    /// Writes a Fernet token's text in steps: each step's ciphertext is MAC'd and base64url-encoded while it is still in
    /// cache, and the whole token is never held as bytes. The faster piece behind the 1 MiB encrypt target
    /// (docs/performance.md); the output is exactly base64url(version ‖ time ‖ IV ‖ AES-CBC(plaintext) ‖ HMAC).
    /// </summary>
    internal static class FernetTokenWriter
    {
        private const int HeaderLength = Fernet.CiphertextOffset;

        // Plaintext bytes per step: whole AES blocks (16) and whole base64 groups (3), small enough to stay in cache.
        internal const int StepLength = 48 * 512;

        public static string Write(byte[] encryptionKey, byte[] signingKey, byte[] plaintext, long seconds, byte[] iv)
        {
            var input = (encryptionKey, signingKey, plaintext, seconds, iv);
            int textLength = Base64Url.EncodedLength(HeaderLength + AesCbc.CiphertextLength(plaintext.Length) + Fernet.MacLength);
#if NET
            return string.Create(textLength, input, static (text, state) => Write(text, state));
#else
            char[] text = new char[textLength];
            Write(text, input);
            return new string(text);
#endif
        }

        private static void Write(Span<char> text, (byte[] EncryptionKey, byte[] SigningKey, byte[] Plaintext, long Seconds, byte[] Iv) input)
        {
            byte[] plaintext = input.Plaintext;
            // Holds header, ciphertext and MAC only, never plaintext, so it goes back to the pool unwiped.
            byte[] buffer = ArrayPool<byte>.Shared.Rent(HeaderLength + StepLength + AesCbc.BlockSize + Fernet.MacLength);
            try
            {
                using (ICryptoTransform encryptor = AesCbc.CreateEncryptor(input.EncryptionKey, input.Iv))
                using (IncrementalHash mac = IncrementalHash.CreateHMAC(HashAlgorithmName.SHA256, input.SigningKey))
                {
                    buffer[0] = Fernet.Version;
                    BinaryPrimitives.WriteUInt64BigEndian(buffer.AsSpan(Fernet.TimestampOffset), (ulong)input.Seconds);
                    Buffer.BlockCopy(input.Iv, 0, buffer, Fernet.IvOffset, Fernet.IvLength);
                    mac.AppendData(buffer, 0, HeaderLength);
                    int pending = HeaderLength;
                    int written = 0;
                    int read = 0;
                    // Whole steps while more than one is left: the final call below takes the last 0 to StepLength bytes,
                    // so its ciphertext, one padding block longer at most, fits the buffer.
                    while (plaintext.Length - read > StepLength)
                    {
                        int produced = encryptor.TransformBlock(plaintext, read, StepLength, buffer, pending);
                        read += StepLength;
                        mac.AppendData(buffer, pending, produced);
                        pending += produced;
                        int wholeGroups = pending - (pending % 3);
                        written += Base64Url.EncodePadded(buffer.AsSpan(0, wholeGroups), text.Slice(written));
                        // The 0-2 bytes of an unfinished group start the next step.
                        pending -= wholeGroups;
                        Buffer.BlockCopy(buffer, wholeGroups, buffer, 0, pending);
                    }

                    byte[] last = encryptor.TransformFinalBlock(plaintext, read, plaintext.Length - read);
                    Buffer.BlockCopy(last, 0, buffer, pending, last.Length);
                    mac.AppendData(last);
                    pending += last.Length;
                    Buffer.BlockCopy(mac.GetHashAndReset(), 0, buffer, pending, Fernet.MacLength);
                    pending += Fernet.MacLength;
                    Base64Url.EncodePadded(buffer.AsSpan(0, pending), text.Slice(written));
                }
            }
            finally
            {
                ArrayPool<byte>.Shared.Return(buffer);
            }
        }
    }
}
