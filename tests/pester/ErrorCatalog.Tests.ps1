# Every ErrorId the module can raise is in the one catalog (src/CryptoTrader.Core/Errors/ErrorIds.cs), the source
# raises ids only from there, and the help NOTES of each cmdlet name every id it can raise (issue 15, point 5).
# What a cmdlet can raise is read from its source: the ids its own class and base classes name, and the errors of what
# it opens (every cmdlet opens the data folder; the key ring, the audit log and exchange requests where its source asks
# for them). ErrorView.Tests.ps1 checks the same from the other side: each id it raises through a cmdlet is in that
# cmdlet's NOTES.
BeforeDiscovery {
    Import-Module (Join-Path $PSScriptRoot 'TestHelpers.psm1') -Force
    Import-Module (Get-CtModulePath) -Force
    $script:CmdletNames = @((Get-Module CryptoTrader).ExportedCmdlets.Keys | Sort-Object)
}

BeforeAll {
    Import-Module (Join-Path $PSScriptRoot 'TestHelpers.psm1') -Force
    Import-Module (Get-CtModulePath) -Force
    $script:Src = [IO.Path]::GetFullPath((Join-Path $PSScriptRoot '../../src'))
    $script:CatalogFile = Join-Path $Src 'CryptoTrader.Core/Errors/ErrorIds.cs'
    $script:CommandsFolder = Join-Path $Src 'CryptoTrader.PowerShell/Commands'
    $script:Catalog = @(Select-String -Path $CatalogFile -Pattern 'public const string (\w+) = "(\w+)";' | ForEach-Object {
            $match = $_.Matches[0]
            $match.Groups[1].Value | Should -Be $match.Groups[2].Value -Because 'an id is spelled the same as its constant'
            $match.Groups[2].Value
        })
    $script:SourceFiles = @(Get-ChildItem $Src -Recurse -Filter *.cs | Where-Object { $_.FullName -notmatch '[\\/](obj|bin)[\\/]' })

    # The errors of what a cmdlet opens, and the source that shows it opens it.
    $script:Groups = @(
        @{ Name = 'data folder and database'; Uses = '.'
            Ids = 'DataFolderUnavailable', 'DataFolderInsecure', 'DatabaseUnavailable', 'DatabaseCorrupt', 'DatabaseMissing', 'DatabaseTooNew' }
        @{ Name = 'key ring'; Uses = '\bRequireKeyRing\(|\bOpenTrading\(|\bAudited\('
            Ids = 'KeyStoreLocked', 'KeyStoreUnavailable', 'KeyRingMissing', 'KeyRingInvalid', 'KeyRingMismatch', 'KeyRingLockTimeout',
            'KeyFileInsecure', 'KeyFileCorrupt', 'WrongPassphrase', 'WeakPassphrase', 'PassphrasesDiffer',
            'EnvironmentKeyMissing', 'EnvironmentKeyInvalid',
            'KeyringUnavailable', 'KeyringServiceMissing', 'KeyringLocked', 'KeyringItemUnreadable', 'KeyringItemTooLarge', 'KeyringFailed' }
        @{ Name = 'audit log'; Uses = '\bOpenAuditLog\(|\bOpenTrading\(|\bRequireKeyRing\(session\)|\bAudited\('
            Ids = 'AuditWriteFailed', 'AuditLogTampered', 'AuditLogRolledBack' }
        @{ Name = 'exchange name'; Uses = '\bCanonicalExchange\b'; Ids = 'UnknownExchange' }
        @{ Name = 'credential name'; Uses = '\bCanonicalName\b'; Ids = 'InvalidCredentialName' }
        @{ Name = 'passphrase prompt'; Uses = '\bPromptFor\w*Passphrase\('; Ids = 'PassphraseRequired', 'PassphrasesDiffer' }
        @{ Name = 'exchange request'; Uses = '\bOpenTrading\('
            Ids = 'CredentialNotFound', 'CredentialIntegrityFailed', 'ExchangeRequestFailed', 'ExchangeAuthenticationFailed', 'ExchangePermissionDenied',
            'ExchangeTimeout', 'ExchangeUnreachable', 'ExchangeRateLimited', 'ExchangeUnavailable', 'ExchangeResponseInvalid', 'ExchangeRequestRefused' }
    )

    function Get-HelpNotes([string] $Name) { ((Get-Help $Name -Full).alertSet.alert.Text -join "`n") }

    function Get-NamedIds([string] $Text) {
        @([regex]::Matches($Text, '\b[A-Z]\w+\b') | ForEach-Object Value | Where-Object { $_ -cin $Catalog } | Sort-Object -Unique)
    }

    # The source of a cmdlet's class and of its base classes up to CtCmdlet.
    function Get-CmdletSource([string] $Name) {
        $class = ($Name -replace '-', '') + 'Command'
        $text = ''
        while ($class -and $class -ne 'CtCmdlet') {
            $file = Join-Path $CommandsFolder "$class.cs"
            Test-Path $file | Should -BeTrue -Because "$Name is implemented in $class.cs"
            $classText = Get-Content $file -Raw
            $text += $classText
            $class = [regex]::Match($classText, "class $class\s*:\s*(\w+)").Groups[1].Value
        }
        $text
    }

    function Get-RaisableIds([string] $Name) {
        $source = Get-CmdletSource $Name
        $own = @([regex]::Matches($source, '\bErrorIds\.(\w+)') | ForEach-Object { $_.Groups[1].Value })
        $opened = @($Groups | Where-Object { $source -match $_.Uses } | ForEach-Object { $_.Ids })
        @($own + $opened | Sort-Object -Unique)
    }
}

Describe 'The ErrorId catalog' {
    It 'is read from ErrorIds.cs (the test would pass on an empty catalog otherwise)' {
        $Catalog.Count | Should -BeGreaterThan 70
        $Catalog | Should -Contain 'TradingNotEnabled'
        @($Catalog | Sort-Object -Unique).Count | Should -Be $Catalog.Count
    }

    It 'is the only place the source spells out an ErrorId' {
        $literals = foreach ($file in $SourceFiles | Where-Object FullName -ne $CatalogFile) {
            $text = Get-Content $file.FullName -Raw
            foreach ($match in [regex]::Matches($text, '"(\w+)"')) {
                if ($match.Groups[1].Value -cin $Catalog) { "$($file.Name): $($match.Value)" }
            }
            # An id outside the catalog, given where an ErrorRecord or CtException takes one.
            foreach ($match in [regex]::Matches($text, '(new CtException\(|new ExchangeException\(|ErrorRecords\.Create\(|new ErrorRecord\([^;]*?,)\s*"(\w+)"')) {
                "$($file.Name): $($match.Value)"
            }
        }
        $literals | Should -BeNullOrEmpty
    }

    It 'holds no id the source never raises' {
        $used = @($SourceFiles | Where-Object FullName -ne $CatalogFile | Select-String -Pattern 'ErrorIds\.(\w+)' -AllMatches |
                ForEach-Object { $_.Matches } | ForEach-Object { $_.Groups[1].Value } | Sort-Object -Unique)
        @($Catalog | Where-Object { $_ -cnotin $used }) | Should -BeNullOrEmpty
        @($used | Where-Object { $_ -cnotin $Catalog }) | Should -BeNullOrEmpty
    }

    It 'has every id in the help NOTES of at least one cmdlet' {
        $named = @((Get-Module CryptoTrader).ExportedCmdlets.Keys | ForEach-Object { Get-NamedIds (Get-HelpNotes $_) } | Sort-Object -Unique)
        @($Catalog | Where-Object { $_ -cnotin $named }) | Should -BeNullOrEmpty
    }
}

Describe 'The help NOTES of <_>' -ForEach $CmdletNames {
    It 'name every ErrorId the cmdlet can raise' {
        $named = Get-NamedIds (Get-HelpNotes $_)
        $missing = @(Get-RaisableIds $_ | Where-Object { $_ -cnotin $named })
        $missing | Should -BeNullOrEmpty -Because "Get-Help $_ -Full must name them under NOTES (docs/cmdlets/$_.md)"
    }

    It 'name only ErrorIds of the catalog' {
        # Words in backticks that look like an ErrorId (ending in a usual ErrorId word) but are not one.
        $text = Get-Content (Join-Path $PSScriptRoot "../../docs/cmdlets/$_.md") -Raw
        $notes = [regex]::Match($text, '(?s)## NOTES(.*?)(\n## |\z)').Groups[1].Value
        $lookalikes = @([regex]::Matches($notes, '`([A-Z][A-Za-z]+(Failed|Missing|Invalid|NotFound|Unavailable|Locked|Denied|Exists|Required|Mismatch|Timeout|Insecure|Corrupt|Tampered|Unknown|Limited|Rejected))`') |
                ForEach-Object { $_.Groups[1].Value } | Where-Object { $_ -cnotin $Catalog })
        $lookalikes | Should -BeNullOrEmpty
    }
}
