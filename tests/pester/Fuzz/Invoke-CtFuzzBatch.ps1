<#
.SYNOPSIS
    One batch of the cmdlet fuzz (tests/pester/Fuzz.Tests.ps1), run in its own pwsh: calls the given cmdlets with seeded
    hostile values in their string and number parameters on a fresh data folder, and records for every call what happened
    (success, or the ErrorRecord's id and exception) and what changed in the database. The verdicts are the test file's.
.NOTES
    Nothing here talks to a network: Coinbase's base URL points at a closed local port, and no Coinbase credential can be
    stored (the fixed API secret is not a key), so every Coinbase call ends at CredentialNotFound before any request.
#>
param(
    [Parameter(Mandatory)] [string] $ModulePath,
    # Comma-separated: -File passes one string.
    [Parameter(Mandatory)] [string] $Cmdlet,
    [Parameter(Mandatory)] [int] $Seed,
    [Parameter(Mandatory)] [int] $Count,
    [Parameter(Mandatory)] [string] $ResultFile,
    [Parameter(Mandatory)] [string] $Sandbox
)
$ErrorActionPreference = 'Stop'
Set-StrictMode -Version Latest

# Relative paths (../ included) stay inside the sandbox: the working folder is six levels below it.
$work = Join-Path $Sandbox 'w/o/r/k/i/n'
New-Item -ItemType Directory -Force -Path $work | Out-Null
Set-Location $work
[Environment]::CurrentDirectory = $work
$env:CRYPTOTRADER_HOME = Join-Path $Sandbox 'home'
$env:CRYPTOTRADER_MASTER_KEY = [Convert]::ToBase64String([Security.Cryptography.RandomNumberGenerator]::GetBytes(32)).Replace('+', '-').Replace('/', '_')
Import-Module $ModulePath
$PSDefaultParameterValues['*-Ct*:WarningAction'] = 'SilentlyContinue'
$secret = ConvertTo-SecureString 'fuzz-api-secret' -AsPlainText -Force

function Restore-Baseline {
    Set-CtConfig -CoinbaseBaseUrl 'https://127.0.0.1:9' -AuditUserId '' -KeyStore Environment -Confirm:$false | Out-Null
    Set-CtApiKey -Exchange paper -ApiKey 'fuzz-api-key' -ApiSecret $secret -Confirm:$false | Out-Null
    Grant-CtTrading -Exchange paper -Duration ([timespan]::FromDays(1)) -MaxOrderValue 1000000 -Confirm:$false | Out-Null
}
Restore-Baseline
Reset-CtPaperAccount -Balance @{ USD = 1000000; BTC = 10 } -Confirm:$false | Out-Null
Set-CtPaperPrice -Symbol BTC-USD -Price 65000 | Out-Null

# ---- reading the database through the module's own SQLite (already loaded in its load context) ----
$sqlite = [System.Runtime.Loader.AssemblyLoadContext]::All | ForEach-Object Assemblies |
    Where-Object { $_.GetName().Name -eq 'Microsoft.Data.Sqlite' } | Select-Object -First 1
$core = [System.Runtime.Loader.AssemblyLoadContext]::All | ForEach-Object Assemblies |
    Where-Object { $_.GetName().Name -eq 'CryptoTrader.Core' } | Select-Object -First 1
$database = Join-Path $env:CRYPTOTRADER_HOME 'cryptotrader.db'

function Read-Rows([string] $Sql) {
    $connection = [Activator]::CreateInstance($sqlite.GetType('Microsoft.Data.Sqlite.SqliteConnection'), @("Data Source=$database;Mode=ReadOnly;Pooling=False"))
    try {
        $connection.Open()
        $command = $connection.CreateCommand()
        $command.CommandText = $Sql
        $reader = $command.ExecuteReader()
        $rows = [Collections.Generic.List[string]]::new()
        while ($reader.Read()) {
            $rows.Add((@(for ($i = 0; $i -lt $reader.FieldCount; $i++) { if ($reader.IsDBNull($i)) { 'NULL' } else { "$($reader.GetValue($i))" } }) -join '|'))
        }
        $reader.Dispose()
        return , $rows
    }
    finally { $connection.Dispose() }
}

# Every table's rows, except the audit log, which is compared as the list of records added (ERROR records left out:
# reporting a failure is not a change of stored data).
function Get-StoredData {
    $tables = [ordered]@{}
    # audit_state is part of the log: it changes with every record appended.
    foreach ($table in (Read-Rows "SELECT name FROM sqlite_master WHERE type = 'table' AND name NOT IN ('audit_log', 'audit_state') ORDER BY name;")) {
        $tables[$table] = ((Read-Rows "SELECT * FROM `"$table`";") | Sort-Object) -join "`n"
    }
    [pscustomobject]@{ Tables = $tables; LastAudit = [long] (Read-Rows 'SELECT coalesce(max(sequence), 0) FROM audit_log;')[0] }
}

# ---- values ----
$rng = [Random]::new($Seed)
$hostile = @(
    '', ' ', "`t`r`n", "`0", "a`0b", ('x' * 5000), '../../x', '..\..\x', '../../../../../../../../x', "' OR 1=1 --", '"; DROP TABLE credentials; --',
    '*', '?', '[a-z]', 'paper*', '`$(whoami)', '$env:HOME', '%s%n', "e`u{301}", "`u{202E}evil", "`u{FEFF}paper", ([string][char]0xD800), ([string][char]0xDC00 + 'x'),
    'ＰＡＰＥＲ', "paper`n", ' paper ', 'PAPER', 'coinbase', " COINBASE`t", 'kraken', 'default', 'BTC-USD', 'btc-usd', 'BTC_USD', 'BTC-', '-USD', 'A-B',
    'Buy', 'sell', 'Limit', 'Json', 'JsonLines', 'Environment', 'File', 'Auto', 'TRADE_EXECUTED', 'ERROR', 'k0123456789abcdef', (New-Object string 'A', 64),
    '1e400', '-1e400', '-0', '0', '1', '-1', 'NaN', 'Infinity', '-Infinity', '79228162514264337593543950335', '79228162514264337593543950336',
    '-79228162514264337593543950335', '0.0000000000000000000000000001', '1e-400', '2147483648', '-2147483649', '9223372036854775808', '1,5', '0x10',
    '1_000', ' 5 ', '5e-30', '1.5', '00:00:00', '-00:00:01', '10675199.02:48:05.4775807', '99999999.00:00:00', '1.00:00:00', 'P1D',
    '9999-12-31T23:59:59', '0001-01-01', '2025-02-30', 'yesterday', 'https://127.0.0.1:9', 'http://127.0.0.1:9', 'https://user:pw@host/', 'file:///etc/passwd',
    '/nonexistent-ct-fuzz/x.json', '/dev/null', '/proc/ct-fuzz.json', '/', '.', '..', 'Env:\CT_FUZZ', 'Variable:\ctFuzz', 'Function:\ct-fuzz', 'Nope:\x', 'Temp:\ct-fuzz-export.json',
    'x:y', 'con', 'nul', 'a/b/c.json', 'out.json', 'sub/'
)
$pools = @(
    'abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ0123456789-_.',
    "0123456789.,-+eE `t",
    " `t`r`n`0`a`b`f`v" + [string][char]0x7F + [string][char]0x85 + [string][char]0xA0 + [string][char]0x2028,
    '!"#$%&''()*+,-./:;<=>?@[\]^_`{|}~'
)

function New-RandomText {
    $length = $rng.Next(0, 40)
    $chars = for ($i = 0; $i -lt $length; $i++) {
        switch ($rng.Next(0, 6)) {
            4 { [char] $rng.Next(0x80, 0xFFFF) }
            5 { [char] $rng.Next(0, 0x80) }
            default { $pool = $pools[$rng.Next(0, $pools.Count)]; $pool[$rng.Next(0, $pool.Length)] }
        }
    }
    -join $chars
}

function New-FuzzValue([string] $Parameter) {
    $value = if ($rng.Next(0, 3) -eq 0) { New-RandomText } else { $hostile[$rng.Next(0, $hostile.Count)] }
    # As root a rooted path could land anywhere: paths leave the sandbox only as the fixed, harmless ones above.
    if ($Parameter -eq 'Path' -and $hostile -notcontains $value -and ($value.StartsWith('/') -or $value.StartsWith('~') -or $value.StartsWith('\') -or $value -match '^[A-Za-z]+:')) {
        $value = './' + $value.TrimStart('/', '\', '~')
    }
    return $value
}

# ---- parameters ----
$common = [System.Management.Automation.Cmdlet]::CommonParameters + [System.Management.Automation.Cmdlet]::OptionalCommonParameters
$fuzzableTypes = @([string], [int], [long], [decimal], [double], [datetime], [timespan])

function Get-ElementType([type] $Type) {
    if ($Type.IsArray) { $Type = $Type.GetElementType() }
    $inner = [Nullable]::GetUnderlyingType($Type)
    if ($inner) { $Type = $inner }
    return $Type
}

# String, number, date, time span and enum parameters take text; switches, SecureStrings, credentials, hashtables do not.
function Test-Fuzzable($Parameter) {
    $type = Get-ElementType $Parameter.ParameterType
    return ($fuzzableTypes -contains $type) -or $type.IsEnum
}

$baselines = @{
    Exchange = 'paper'; Name = 'default'; Symbol = 'BTC-USD'; Side = 'Buy'; Quantity = '0.001'; Price = '65000'; OrderId = 'paper-none'
    ApiKey = 'fuzz-api-key'; ApiSecret = $secret; Password = $secret; Balance = @{ USD = 1000 }
    Credential = [pscredential]::new('fuzz-api-key', $secret)
}

function Get-Baseline($Parameter) {
    if ($baselines.ContainsKey($Parameter.Name)) { return $baselines[$Parameter.Name] }
    if ($Parameter.Name -eq 'Path') { return Join-Path $Sandbox ('export-' + [guid]::NewGuid().ToString('N') + '.json') }
    if ($Parameter.ParameterType.FullName -eq 'CryptoTrader.AuditRecord') { return Get-CtAuditLog -Last 1 }
    $type = Get-ElementType $Parameter.ParameterType
    if ($type -eq [string]) { return 'fuzz' }
    if ($type.IsEnum) { return [Enum]::GetNames($type)[0] }
    if ($fuzzableTypes -contains $type) { return '1' }
    throw "No baseline value for mandatory parameter -$($Parameter.Name) [$($Parameter.ParameterType)]: add one to Invoke-CtFuzzBatch.ps1."
}

function Get-Printable([string] $Text) {
    $shown = -join ($Text.ToCharArray() | Select-Object -First 60 | ForEach-Object {
            if ([char]::IsControl($_) -or [char]::IsSurrogate($_) -or $_ -eq [char]0xFEFF -or $_ -eq [char]0x202E) { '\u{0:X4}' -f [int]$_ } else { $_ } })
    if ($Text.Length -gt 60) { $shown += "...($($Text.Length) chars)" }
    return $shown
}

# ---- cases: every cmdlet in turn, one hostile value in one of its text parameters ----
$commands = @($Cmdlet.Split(",") | ForEach-Object { Get-Command $_ -Module CryptoTrader })
$results = [Collections.Generic.List[object]]::new()
$baselineOnlyDone = @{}
for ($case = 0; $case -lt $Count; $case++) {
    $command = $commands[$case % $commands.Count]
    $fuzzable = @($command.Parameters.Values | Where-Object { $common -notcontains $_.Name -and (Test-Fuzzable $_) })
    if ($fuzzable.Count -eq 0) {
        if ($baselineOnlyDone[$command.Name]) { continue }
        $baselineOnlyDone[$command.Name] = $true
    }
    $target = if ($fuzzable.Count -gt 0) { $fuzzable[$rng.Next(0, $fuzzable.Count)] } else { $null }
    $sets = @($command.ParameterSets | Where-Object { -not $target -or $_.Parameters.Name -contains $target.Name })
    $set = $sets[$rng.Next(0, $sets.Count)]
    $arguments = @{}
    foreach ($parameter in $set.Parameters) {
        if ($parameter.IsMandatory -and $common -notcontains $parameter.Name -and (-not $target -or $parameter.Name -ne $target.Name)) {
            $arguments[$parameter.Name] = Get-Baseline $command.Parameters[$parameter.Name]
        }
    }
    $value = $null
    if ($target) {
        $value = New-FuzzValue $target.Name
        $arguments[$target.Name] = $value
    }
    $mode = 'plain'
    if ($command.Parameters.ContainsKey('WhatIf')) {
        if ($rng.Next(0, 5) -eq 0) { $arguments['WhatIf'] = $true; $mode = 'WhatIf' } else { $arguments['Confirm'] = $false; $mode = 'Confirm:$false' }
    }

    $before = Get-StoredData
    $failure = $null
    try { & $command @arguments -ErrorAction Stop | Out-Null }
    catch { $failure = $_ }
    $after = Get-StoredData

    $exception = if ($failure) { $failure.Exception } else { $null }
    $exceptionTypes = @(if ($exception) { $t = $exception.GetType(); while ($t) { $t.FullName; $t = $t.BaseType } })
    $results.Add([pscustomobject]@{
            Cmdlet        = $command.Name
            Parameter     = if ($target) { $target.Name } else { '' }
            Value         = if ($target) { Get-Printable $value } else { '' }
            Mode          = $mode
            Succeeded     = -not $failure
            ErrorId       = if ($failure) { "$($failure.FullyQualifiedErrorId)" } else { '' }
            Exception     = if ($exception) { $exception.GetType().FullName } else { '' }
            ExceptionBase = $exceptionTypes
            Message       = if ($exception) { (Get-Printable $exception.Message) } else { '' }
            TablesChanged = @($before.Tables.Keys | Where-Object { $before.Tables[$_] -ne $after.Tables[$_] })
            AuditAdded    = [string[]] (Read-Rows "SELECT event_type FROM audit_log WHERE sequence > $($before.LastAudit) AND event_type <> 'ERROR' ORDER BY sequence;")
        })
    # A call that changed something may have removed what later calls need (the key, its grant): put the baseline back.
    if (-not $failure -and $command.Verb -notin 'Get', 'Test') { Restore-Baseline }
    if (Read-Rows "SELECT 1 FROM credentials WHERE exchange = 'coinbase';") { throw 'A Coinbase credential was stored: the fuzz would reach the network. Stopping.' }
}

$errorIds = @($core.GetType('CryptoTrader.Core.Errors.ErrorIds').GetFields() | ForEach-Object { $_.GetValue($null) })
[pscustomobject]@{ Seed = $Seed; ErrorIds = $errorIds; Results = $results } | ConvertTo-Json -Depth 5 | Set-Content -Path $ResultFile -Encoding utf8
