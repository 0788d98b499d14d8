BeforeAll {
    Import-Module (Join-Path $PSScriptRoot 'TestHelpers.psm1') -Force
    $script:ModulePath = Get-CtModulePath
}

Describe 'The built module' {
    It 'imports in a fresh pwsh and a cmdlet that touches the database works' {
        $dataHome = New-CtTestHome
        $result = Invoke-CtChildPwsh -Environment @{ CRYPTOTRADER_HOME = $dataHome } -Script @"
Import-Module '$ModulePath' -ErrorAction Stop
`$config = Get-CtConfig -ErrorAction Stop
"schema=`$(`$config.SchemaVersion) db=`$(Test-Path `$config.DatabasePath)"
"@
        $result.Output | Should -Match 'schema=[1-9]\d* db=True'
        $result.ExitCode | Should -Be 0
    }

    It 'exports exactly the cmdlets its manifest lists' {
        $manifest = Import-PowerShellDataFile (Join-Path $ModulePath 'CryptoTrader.psd1')
        $result = Invoke-CtChildPwsh -Script @"
Import-Module '$ModulePath' -ErrorAction Stop
(Get-Command -Module CryptoTrader | Sort-Object Name | ForEach-Object Name) -join ','
"@
        $result.Output.Trim() | Should -Be (($manifest.CmdletsToExport | Sort-Object) -join ',')
    }

    It 'is one binary root module for both editions, with the loader as its nested module and no script loader' {
        $manifest = Import-PowerShellDataFile (Join-Path $ModulePath 'CryptoTrader.psd1')
        $manifest.RootModule | Should -Be 'bin/CryptoTrader.PowerShell.dll'
        $manifest.NestedModules | Should -Be @('bin/CryptoTrader.Loader.dll')
        Get-ChildItem $ModulePath -Filter *.psm1 | Should -BeNullOrEmpty
        foreach ($framework in 'net8.0', 'net472') {
            Join-Path $ModulePath "bin/$framework/CryptoTrader.Core.dll" | Should -Exist
            Join-Path $ModulePath "bin/$framework/CryptoTrader.PowerShell.dll" | Should -Not -Exist
        }
        # An engine beside the cmdlet assembly would be found by the default context's probing, bypassing the loader.
        Join-Path $ModulePath 'bin/CryptoTrader.Core.dll' | Should -Not -Exist
        $result = Invoke-CtChildPwsh -Script @"
Import-Module '$ModulePath' -ErrorAction Stop
`$module = Get-Module CryptoTrader
"type=`$(`$module.ModuleType) nested=`$((`$module.NestedModules | ForEach-Object Name) -join ',')"
"@
        $result.Output | Should -Match 'type=Binary nested=CryptoTrader\.Loader(\r?\n|$)'
        $result.ExitCode | Should -Be 0
    }

    It 'loads its engine and SQLite into its own load context, not the default one' {
        $dataHome = New-CtTestHome
        $result = Invoke-CtChildPwsh -Environment @{ CRYPTOTRADER_HOME = $dataHome } -Script @"
Import-Module '$ModulePath' -ErrorAction Stop
`$null = Get-CtConfig
`$contexts = [System.Runtime.Loader.AssemblyLoadContext]::All
foreach (`$name in 'CryptoTrader.Core', 'Microsoft.Data.Sqlite', 'SQLitePCLRaw.core') {
    `$owner = `$contexts | Where-Object { `$_.Assemblies.GetName().Name -contains `$name } | ForEach-Object { `$_.GetType().FullName }
    "`$name=`$(`$owner -join '+')"
}
"@
        $result.Output | Should -Match 'CryptoTrader.Core=CryptoTrader\.Loader\.EngineLoadContext(\r?\n|$)'
        $result.Output | Should -Match 'Microsoft.Data.Sqlite=CryptoTrader\.Loader\.EngineLoadContext(\r?\n|$)'
        $result.Output | Should -Match 'SQLitePCLRaw.core=CryptoTrader\.Loader\.EngineLoadContext(\r?\n|$)'
    }

    It 'loads BouncyCastle into its own load context when it compares MACs' {
        $dataHome = New-CtTestHome
        $result = Invoke-CtChildPwsh -Environment @{ CRYPTOTRADER_HOME = $dataHome; CRYPTOTRADER_MASTER_KEY = (New-CtTestFernetKey) } -Script @"
Import-Module '$ModulePath' -ErrorAction Stop
Set-CtConfig -AuditUserId 'mac' -WarningAction SilentlyContinue -ErrorAction Stop | Out-Null
if (-not (Test-CtAuditLog -WarningAction SilentlyContinue -ErrorAction Stop).IsValid) { throw 'the log did not verify' }
`$owner = [System.Runtime.Loader.AssemblyLoadContext]::All | Where-Object { `$_.Assemblies.GetName().Name -contains 'BouncyCastle.Cryptography' } | ForEach-Object { `$_.GetType().FullName }
"BouncyCastle=`$(`$owner -join '+')"
"@
        $result.Output | Should -Match 'BouncyCastle=CryptoTrader\.Loader\.EngineLoadContext(\r?\n|$)'
        Join-Path $ModulePath 'bin/net8.0/BouncyCastle.Cryptography.dll' | Should -Exist
        Join-Path $ModulePath 'bin/net472/BouncyCastle.Cryptography.dll' | Should -Exist
    }

    It 'survives Import-Module -Force twice in one session' {
        $dataHome = New-CtTestHome
        $result = Invoke-CtChildPwsh -Environment @{ CRYPTOTRADER_HOME = $dataHome; CRYPTOTRADER_MASTER_KEY = (New-CtTestFernetKey) } -Script @"
Import-Module '$ModulePath' -ErrorAction Stop
`$null = Get-CtConfig -ErrorAction Stop
Import-Module '$ModulePath' -Force -ErrorAction Stop
Import-Module '$ModulePath' -Force -ErrorAction Stop
Set-CtConfig -AuditUserId 'after-force' -ErrorAction Stop
"user=`$((Get-CtConfig -ErrorAction Stop).AuditUserId)"
"@
        $result.Output | Should -Match 'user=after-force'
        $result.ExitCode | Should -Be 0
    }

    It 'works in a session that already loaded another Microsoft.Data.Sqlite and SQLitePCLRaw' {
        $cache = ((& dotnet nuget locals global-packages --list) -replace '^global-packages:\s*', '').Trim()
        $fixture = Join-Path $PSScriptRoot '../fixtures/OtherSqlite.proj'
        & dotnet restore $fixture --verbosity quiet | Out-Null
        $LASTEXITCODE | Should -Be 0
        $sqlite = Join-Path $cache 'microsoft.data.sqlite.core/6.0.7/lib/net6.0/Microsoft.Data.Sqlite.dll'
        $core = Join-Path $cache 'sqlitepclraw.core/2.0.6/lib/netstandard2.0/SQLitePCLRaw.core.dll'
        $provider = Join-Path $cache 'sqlitepclraw.provider.e_sqlite3/2.0.6/lib/net5.0/SQLitePCLRaw.provider.e_sqlite3.dll'
        $native = Join-Path $cache 'sqlitepclraw.lib.e_sqlite3/2.0.6/runtimes/linux-x64/native'
        foreach ($file in $sqlite, $core, $provider, $native) { Test-Path $file | Should -BeTrue -Because "$file comes from the fixture restore" }

        $dataHome = New-CtTestHome
        $result = Invoke-CtChildPwsh -Environment @{ CRYPTOTRADER_HOME = $dataHome; LD_LIBRARY_PATH = $native; CRYPTOTRADER_MASTER_KEY = (New-CtTestFernetKey) } -Script @"
Add-Type -Path '$core', '$provider', '$sqlite'
[SQLitePCL.raw]::SetProvider([SQLitePCL.SQLite3Provider_e_sqlite3]::new())
`$other = [Microsoft.Data.Sqlite.SqliteConnection]::new('Data Source=:memory:')
`$other.Open()
Import-Module '$ModulePath' -ErrorAction Stop
Set-CtConfig -AuditUserId 'beside-other-sqlite' -ErrorAction Stop
"ours=`$((Get-CtConfig -ErrorAction Stop).AuditUserId)"
`$command = `$other.CreateCommand()
`$command.CommandText = 'select 40 + 2'
"theirs=`$(`$command.ExecuteScalar())"
"versions=`$(([AppDomain]::CurrentDomain.GetAssemblies() | Where-Object { `$_.GetName().Name -eq 'Microsoft.Data.Sqlite' } | ForEach-Object { `$_.GetName().Version.Major } | Sort-Object) -join ',')"
"@
        $result.Output | Should -Match 'ours=beside-other-sqlite'
        $result.Output | Should -Match 'theirs=42'
        $result.Output | Should -Match 'versions=6,8'
        $result.ExitCode | Should -Be 0
    }
}
