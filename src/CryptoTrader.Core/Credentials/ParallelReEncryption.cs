using System;
using System.Runtime.ExceptionServices;
using System.Threading;
using System.Threading.Tasks;
using CryptoTrader.Core.Crypto;

namespace CryptoTrader.Core.Credentials
{
    /// <summary>
    /// Re-encrypts the tokens of <see cref="PendingTokens"/> under a ring's primary key on background threads, in
    /// ascending order, as the caller reads the rows and then while it stores them one by one: <see cref="WaitFor"/>
    /// hands over a row once it is done, and has the caller re-encrypt rows itself instead of idling while it waits.
    /// So on two cores, SQLite's reads and writes on the caller's thread overlap with the cryptography. Disposing
    /// stops the background threads.
    /// </summary>
    internal sealed class ParallelReEncryption : IDisposable
    {
        // Rows a thread claims at a time: enough to make claiming cheap, few enough to keep the order.
        private const int ChunkRows = 32;

        private readonly KeyRing ring;
        private readonly PendingTokens pending;
        private readonly Task[] workers;
        private readonly TokenReEncryptor callerReEncryptor;
        private int nextChunk;
        private volatile bool stopping;
        private Exception? fault;

        private ParallelReEncryption(KeyRing ring, PendingTokens pending)
        {
            this.ring = ring;
            this.pending = pending;
            callerReEncryptor = new TokenReEncryptor(ring);
            workers = new Task[Math.Max(1, Environment.ProcessorCount - 1)];
        }

        public static ParallelReEncryption Start(KeyRing ring, PendingTokens pending)
        {
            var reEncryption = new ParallelReEncryption(ring, pending);
            for (var i = 0; i < reEncryption.workers.Length; i++)
            {
                reEncryption.workers[i] = Task.Run(reEncryption.Work);
            }
            return reEncryption;
        }

        /// <summary>Waits until row <paramref name="index"/> is re-encrypted, helping meanwhile.</summary>
        /// <returns>False when its token failed its check (tampered with, or its key is not in the ring).</returns>
        public bool WaitFor(int index)
        {
            var spinner = new SpinWait();
            while (!pending.IsSettled(index))
            {
                ThrowIfFaulted();
                if (!ReEncryptNextChunk(callerReEncryptor))
                {
                    // Every row is claimed: the one awaited is a few microseconds from done.
                    spinner.SpinOnce();
                }
            }
            ThrowIfFaulted();
            return pending.IsReplaced(index);
        }

        public void Dispose()
        {
            stopping = true;
            try
            {
                Task.WaitAll(workers);
            }
            finally
            {
                callerReEncryptor.Dispose();
            }
        }

        private void Work()
        {
            using var reEncryptor = new TokenReEncryptor(ring);
            while (!stopping && ReEncryptNextChunk(reEncryptor))
            {
            }
        }

        /// <returns>False when no rows are left to claim.</returns>
        private bool ReEncryptNextChunk(TokenReEncryptor reEncryptor)
        {
            var first = Interlocked.Add(ref nextChunk, ChunkRows) - ChunkRows;
            for (var i = first; i < first + ChunkRows; i++)
            {
                if (!WaitUntilRead(i))
                {
                    return false;
                }
                ReEncrypt(reEncryptor, i);
            }
            return true;
        }

        /// <returns>True once row <paramref name="index"/> is read; false when reading ended before it.</returns>
        private bool WaitUntilRead(int index)
        {
            var spinner = new SpinWait();
            while (index >= pending.Count)
            {
                if (pending.IsComplete || stopping)
                {
                    return index < pending.Count;
                }
                spinner.SpinOnce();
            }
            return true;
        }

        private void ReEncrypt(TokenReEncryptor reEncryptor, int index)
        {
            try
            {
                pending.Replace(index, reEncryptor.ReEncrypt(pending.Token(index), pending.KeyId(index)));
            }
            catch (Exception e) when (e is InvalidFernetTokenException || e is KeyNotFoundInKeyRingException)
            {
                pending.Refuse(index);
            }
            catch (Exception e)
            {
                // Not a bad token but a failure of the work itself: the waiting caller rethrows it.
                Interlocked.CompareExchange(ref fault, e, null);
                stopping = true;
            }
        }

        private void ThrowIfFaulted()
        {
            var failure = Volatile.Read(ref fault);
            if (failure != null)
            {
                ExceptionDispatchInfo.Capture(failure).Throw();
            }
        }
    }
}
