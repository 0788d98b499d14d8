#if NET8_0_OR_GREATER
using System;
using System.Collections.Generic;
using System.Threading;
using System.Threading.Tasks;
using CryptoTrader.Core.Errors;
using Tmds.DBus.Protocol;

namespace CryptoTrader.Core.KeyStores.Keyring
{
    /// <summary>
    /// The freedesktop Secret Service (gnome-keyring, KeePassXC, KWallet 6) over the D-Bus session bus, with an
    /// encrypted Diffie-Hellman session. Items go into the default collection. Never prompts: a locked collection
    /// is the KeyringLocked error.
    /// </summary>
    public sealed class SecretServiceBackend : IKeyringBackend
    {
        public const string BusAddressVariable = "DBUS_SESSION_BUS_ADDRESS";

        private const string Destination = "org.freedesktop.secrets";
        private const string ServicePath = "/org/freedesktop/secrets";
        private const string ServiceInterface = "org.freedesktop.Secret.Service";
        private const string CollectionInterface = "org.freedesktop.Secret.Collection";
        private const string ItemInterface = "org.freedesktop.Secret.Item";
        private const string PropertiesInterface = "org.freedesktop.DBus.Properties";

        private static readonly TimeSpan CallTimeout = TimeSpan.FromSeconds(15);
        private static readonly TimeSpan ProbeTimeout = TimeSpan.FromSeconds(3);

        private readonly string? address;

        /// <param name="busAddress">The session bus address; null reads DBUS_SESSION_BUS_ADDRESS.</param>
        public SecretServiceBackend(string? busAddress = null)
        {
            address = string.IsNullOrWhiteSpace(busAddress) ? Environment.GetEnvironmentVariable(BusAddressVariable) : busAddress;
        }

        public string Name => "Secret Service";

        public static string UnlockHint =>
            "Unlock it by logging in to the desktop, or in a session without one with: " +
            "printf '%s' \"$KEYRING_PASSWORD\" | gnome-keyring-daemon --unlock --replace --components=secrets";

        public KeyringProbe Probe()
        {
            try
            {
                Run(async connection =>
                {
                    var collection = await DefaultCollection(connection).ConfigureAwait(false);
                    if (await IsLocked(connection, collection).ConfigureAwait(false))
                    {
                        throw Locked();
                    }
                    return true;
                }, ProbeTimeout);
                return new KeyringProbe(true, "the OS keyring (Secret Service) is available and unlocked");
            }
            catch (CtException e)
            {
                return new KeyringProbe(false, "the OS keyring (Secret Service) is not usable: " + e.Message);
            }
        }

        public byte[]? Read(KeyringItemKey key) => Run(async connection =>
        {
            var (unlocked, locked) = await SearchItems(connection, key).ConfigureAwait(false);
            if (unlocked.Count == 0 && locked.Count > 0)
            {
                unlocked = await UnlockWithoutPrompt(connection, locked).ConfigureAwait(false);
            }
            if (unlocked.Count == 0)
            {
                return null;
            }
            var session = await OpenSession(connection).ConfigureAwait(false);
            return await GetSecret(connection, unlocked[0], session).ConfigureAwait(false);
        }, CallTimeout);

        public void Write(KeyringItemKey key, string label, byte[] secret) => Run(async connection =>
        {
            var collection = await DefaultCollection(connection).ConfigureAwait(false);
            if (await IsLocked(connection, collection).ConfigureAwait(false))
            {
                throw Locked();
            }
            var session = await OpenSession(connection).ConfigureAwait(false);
            var (iv, ciphertext) = SecretServiceDh.Encrypt(session.AesKey, secret);
            var writer = connection.GetMessageWriter();
            writer.WriteMethodCallHeader(Destination, collection, CollectionInterface, "CreateItem", "a{sv}(oayays)b");
            var properties = writer.WriteDictionaryStart();
            writer.WriteDictionaryEntryStart();
            writer.WriteString("org.freedesktop.Secret.Item.Label");
            writer.WriteVariantString(label);
            writer.WriteDictionaryEntryStart();
            writer.WriteString("org.freedesktop.Secret.Item.Attributes");
            writer.WriteSignature("a{ss}");
            WriteAttributes(ref writer, key);
            writer.WriteDictionaryEnd(properties);
            writer.WriteStructureStart();
            writer.WriteObjectPath(session.Path);
            writer.WriteArray(iv);
            writer.WriteArray(ciphertext);
            writer.WriteString("application/octet-stream");
            writer.WriteBool(true);
            var prompt = await connection.CallMethodAsync(writer.CreateMessage(), (message, _) =>
            {
                var reader = message.GetBodyReader();
                reader.ReadObjectPathAsString();
                return reader.ReadObjectPathAsString();
            }).ConfigureAwait(false);
            if (prompt != "/")
            {
                throw Locked();
            }
            return true;
        }, CallTimeout);

        public bool Delete(KeyringItemKey key) => Run(async connection =>
        {
            var (unlocked, locked) = await SearchItems(connection, key).ConfigureAwait(false);
            if (locked.Count > 0)
            {
                unlocked.AddRange(await UnlockWithoutPrompt(connection, locked).ConfigureAwait(false));
            }
            foreach (var item in unlocked)
            {
                var writer = connection.GetMessageWriter();
                writer.WriteMethodCallHeader(Destination, item, ItemInterface, "Delete");
                var prompt = await connection.CallMethodAsync(writer.CreateMessage(),
                    (message, _) => message.GetBodyReader().ReadObjectPathAsString()).ConfigureAwait(false);
                if (prompt != "/")
                {
                    throw Locked();
                }
            }
            return unlocked.Count > 0;
        }, CallTimeout);

        /// <summary>Locks the default collection (tests of the locked error). Returns false when the service wants a prompt.</summary>
        public bool LockDefaultCollection() => Run(async connection =>
        {
            var collection = await DefaultCollection(connection).ConfigureAwait(false);
            var writer = connection.GetMessageWriter();
            writer.WriteMethodCallHeader(Destination, ServicePath, ServiceInterface, "Lock", "ao");
            writer.WriteArray(new[] { new ObjectPath(collection) });
            var prompt = await connection.CallMethodAsync(writer.CreateMessage(), (message, _) =>
            {
                var reader = message.GetBodyReader();
                var end = reader.ReadArrayStart(DBusType.ObjectPath);
                while (reader.HasNext(end))
                {
                    reader.ReadObjectPathAsString();
                }
                return reader.ReadObjectPathAsString();
            }).ConfigureAwait(false);
            return prompt == "/";
        }, CallTimeout);

        private sealed class Session
        {
            public Session(string path, byte[] aesKey)
            {
                Path = path;
                AesKey = aesKey;
            }

            public string Path { get; }

            public byte[] AesKey { get; }
        }

        private T Run<T>(Func<DBusConnection, Task<T>> operation, TimeSpan timeout)
        {
            if (string.IsNullOrWhiteSpace(address))
            {
                throw new CtException(ErrorIds.KeyringUnavailable, CtErrorKind.ResourceUnavailable,
                    $"The OS keyring (Secret Service) cannot be reached: no D-Bus session bus ({BusAddressVariable} is not set). " +
                    "Run inside a desktop session or dbus-run-session, or choose another store with Set-CtConfig -KeyStore.", BusAddressVariable);
            }
            try
            {
                return Task.Run(async () =>
                {
                    using var connection = new DBusConnection(address!);
                    using var cancel = new CancellationTokenSource(timeout);
                    await connection.ConnectAsync().AsTask().WaitAsync(cancel.Token).ConfigureAwait(false);
                    return await operation(connection).WaitAsync(cancel.Token).ConfigureAwait(false);
                }).GetAwaiter().GetResult();
            }
            catch (CtException)
            {
                throw;
            }
            catch (OperationCanceledException e)
            {
                throw new CtException(ErrorIds.KeyringUnavailable, CtErrorKind.ResourceUnavailable,
                    $"The OS keyring (Secret Service) did not answer within {timeout.TotalSeconds:0} s on the D-Bus session bus '{address}'.", address, e);
            }
            catch (DBusErrorReplyException e) when (e.ErrorName == "org.freedesktop.DBus.Error.ServiceUnknown" || e.ErrorName == "org.freedesktop.DBus.Error.NameHasNoOwner")
            {
                throw new CtException(ErrorIds.KeyringServiceMissing, CtErrorKind.ResourceUnavailable,
                    "No Secret Service (org.freedesktop.secrets) runs on the D-Bus session bus. Start a keyring daemon " +
                    "(gnome-keyring-daemon --start --components=secrets, or KeePassXC with Secret Service integration), or choose another store with Set-CtConfig -KeyStore.",
                    address, e);
            }
            catch (DBusErrorReplyException e) when (e.ErrorName == "org.freedesktop.Secret.Error.IsLocked")
            {
                throw Locked(e);
            }
            catch (DBusErrorReplyException e)
            {
                throw new CtException(ErrorIds.KeyringFailed, CtErrorKind.ResourceUnavailable,
                    $"The OS keyring (Secret Service) refused the request: {e.ErrorName}: {e.ErrorMessage}", address, e);
            }
            catch (Exception e) when (e is DBusConnectionException || e is System.Net.Sockets.SocketException || e is System.IO.IOException || e is DBusExceptionBase)
            {
                throw new CtException(ErrorIds.KeyringUnavailable, CtErrorKind.ResourceUnavailable,
                    $"The OS keyring (Secret Service) cannot be reached: the D-Bus session bus '{address}' does not answer ({e.Message}).", address, e);
            }
            catch (System.Security.Cryptography.CryptographicException e)
            {
                throw new CtException(ErrorIds.KeyringItemUnreadable, CtErrorKind.InvalidData,
                    $"The OS keyring (Secret Service) item cannot be decrypted ({e.Message}).", address, e);
            }
        }

        private static CtException Locked(Exception? inner = null) =>
            new CtException(ErrorIds.KeyringLocked, CtErrorKind.SecurityError,
                "The OS keyring (Secret Service default collection) is locked, and CryptoTrader never prompts. " + UnlockHint, "Secret Service", inner);

        private static async Task<string> DefaultCollection(DBusConnection connection)
        {
            var writer = connection.GetMessageWriter();
            writer.WriteMethodCallHeader(Destination, ServicePath, ServiceInterface, "ReadAlias", "s");
            writer.WriteString("default");
            var path = await connection.CallMethodAsync(writer.CreateMessage(),
                (message, _) => message.GetBodyReader().ReadObjectPathAsString()).ConfigureAwait(false);
            if (path == "/")
            {
                throw new CtException(ErrorIds.KeyringLocked, CtErrorKind.ResourceUnavailable,
                    "The OS keyring (Secret Service) has no default collection (no unlocked login keyring), and CryptoTrader never prompts. " + UnlockHint,
                    "Secret Service");
            }
            return path;
        }

        private static async Task<bool> IsLocked(DBusConnection connection, string collection)
        {
            var writer = connection.GetMessageWriter();
            writer.WriteMethodCallHeader(Destination, collection, PropertiesInterface, "Get", "ss");
            writer.WriteString(CollectionInterface);
            writer.WriteString("Locked");
            return await connection.CallMethodAsync(writer.CreateMessage(), (message, _) =>
            {
                var reader = message.GetBodyReader();
                reader.ReadSignature("b");
                return reader.ReadBool();
            }).ConfigureAwait(false);
        }

        private static async Task<Session> OpenSession(DBusConnection connection)
        {
            var dh = new SecretServiceDh();
            var writer = connection.GetMessageWriter();
            writer.WriteMethodCallHeader(Destination, ServicePath, ServiceInterface, "OpenSession", "sv");
            writer.WriteString(SecretServiceDh.Algorithm);
            writer.WriteSignature("ay");
            writer.WriteArray(dh.PublicKey);
            var (peer, path) = await connection.CallMethodAsync(writer.CreateMessage(), (message, _) =>
            {
                var reader = message.GetBodyReader();
                reader.ReadSignature("ay");
                var output = reader.ReadArrayOfByte();
                return (output, reader.ReadObjectPathAsString());
            }).ConfigureAwait(false);
            return new Session(path, dh.DeriveAesKey(peer));
        }

        private static async Task<(List<string> Unlocked, List<string> Locked)> SearchItems(DBusConnection connection, KeyringItemKey key)
        {
            var writer = connection.GetMessageWriter();
            writer.WriteMethodCallHeader(Destination, ServicePath, ServiceInterface, "SearchItems", "a{ss}");
            WriteAttributes(ref writer, key);
            return await connection.CallMethodAsync(writer.CreateMessage(), (message, _) =>
            {
                var reader = message.GetBodyReader();
                return (ReadPaths(ref reader), ReadPaths(ref reader));
            }).ConfigureAwait(false);
        }

        private static async Task<List<string>> UnlockWithoutPrompt(DBusConnection connection, List<string> items)
        {
            var writer = connection.GetMessageWriter();
            writer.WriteMethodCallHeader(Destination, ServicePath, ServiceInterface, "Unlock", "ao");
            var paths = new ObjectPath[items.Count];
            for (var i = 0; i < items.Count; i++)
            {
                paths[i] = new ObjectPath(items[i]);
            }
            writer.WriteArray(paths);
            var (unlocked, prompt) = await connection.CallMethodAsync(writer.CreateMessage(), (message, _) =>
            {
                var reader = message.GetBodyReader();
                return (ReadPaths(ref reader), reader.ReadObjectPathAsString());
            }).ConfigureAwait(false);
            if (prompt != "/" || unlocked.Count == 0)
            {
                // A prompt needs a desktop prompter: never wait for it.
                throw Locked();
            }
            return unlocked;
        }

        private static async Task<byte[]> GetSecret(DBusConnection connection, string item, Session session)
        {
            var writer = connection.GetMessageWriter();
            writer.WriteMethodCallHeader(Destination, item, ItemInterface, "GetSecret", "o");
            writer.WriteObjectPath(session.Path);
            var (iv, value) = await connection.CallMethodAsync(writer.CreateMessage(), (message, _) =>
            {
                var reader = message.GetBodyReader();
                reader.AlignStruct();
                reader.ReadObjectPathAsString();
                var parameters = reader.ReadArrayOfByte();
                var ciphertext = reader.ReadArrayOfByte();
                reader.ReadString();
                return (parameters, ciphertext);
            }).ConfigureAwait(false);
            if (iv.Length != 16)
            {
                throw new CtException(ErrorIds.KeyringItemUnreadable, CtErrorKind.InvalidData,
                    $"The OS keyring (Secret Service) item '{item}' came back without a valid initialization vector.", item);
            }
            return SecretServiceDh.Decrypt(session.AesKey, iv, value);
        }

        private static void WriteAttributes(ref MessageWriter writer, KeyringItemKey key)
        {
            var attributes = writer.WriteDictionaryStart();
            foreach (var pair in key.Attributes)
            {
                writer.WriteDictionaryEntryStart();
                writer.WriteString(pair.Key);
                writer.WriteString(pair.Value);
            }
            writer.WriteDictionaryEnd(attributes);
        }

        private static List<string> ReadPaths(ref Reader reader)
        {
            var paths = new List<string>();
            var end = reader.ReadArrayStart(DBusType.ObjectPath);
            while (reader.HasNext(end))
            {
                paths.Add(reader.ReadObjectPathAsString());
            }
            return paths;
        }
    }
}
#endif
