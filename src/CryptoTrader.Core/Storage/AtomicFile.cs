using System.IO;

namespace CryptoTrader.Core.Storage
{
    /// <summary>Puts a finished temporary file in place with one rename, so readers see the old file or the new one, never half.</summary>
    internal static class AtomicFile
    {
        public static void Replace(string temporary, string destination)
        {
#if NET
            File.Move(temporary, destination, overwrite: true);
#else
            if (File.Exists(destination))
            {
                File.Replace(temporary, destination, destinationBackupFileName: null);
            }
            else
            {
                File.Move(temporary, destination);
            }
#endif
        }
    }
}
