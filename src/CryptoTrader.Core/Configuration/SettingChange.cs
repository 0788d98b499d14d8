namespace CryptoTrader.Core.Configuration
{
    /// <summary>One setting to change: its Set-CtConfig name, its row name, and the values before and after (null = default).</summary>
    public sealed class SettingChange
    {
        public SettingChange(string displayName, string storageName, string? oldValue, string? newValue)
        {
            DisplayName = displayName;
            StorageName = storageName;
            OldValue = oldValue;
            NewValue = newValue;
        }

        public string DisplayName { get; }

        public string StorageName { get; }

        public string? OldValue { get; }

        public string? NewValue { get; }
    }
}
