# Shared helpers for the Pester suites. They run against the built module ($env:CT_MODULE_PATH).

function Get-CtModulePath {
    if (-not $env:CT_MODULE_PATH) { throw 'CT_MODULE_PATH is not set: run the suites through build.ps1 Test.' }
    return $env:CT_MODULE_PATH
}

# A new, empty data folder under TestDrive (or temp) and CRYPTOTRADER_HOME pointing at it.
function New-CtTestHome {
    param([string] $Name = [guid]::NewGuid().ToString('N'))
    $root = if (Test-Path 'TestDrive:\') { (Get-PSDrive TestDrive).Root } else { [IO.Path]::GetTempPath() }
    $path = Join-Path $root $Name
    $env:CRYPTOTRADER_HOME = $path
    return $path
}

# What a suite changes of the session it runs in: the master key variable, HOME, PSModulePath and the parameter
# defaults. A suite saves them in its first BeforeAll ($script:Saved = Save-CtTestSession) and puts them back in its
# last AfterAll (Restore-CtTestSession $script:Saved), so the next suite starts from the same session.
function Save-CtTestSession {
    return [pscustomobject]@{
        MasterKey  = $env:CRYPTOTRADER_MASTER_KEY
        Home       = $env:HOME
        ModulePath = $env:PSModulePath
        Defaults   = $global:PSDefaultParameterValues.Clone()
    }
}

function Restore-CtTestSession {
    param([Parameter(Mandatory)] $Saved)
    $env:CRYPTOTRADER_MASTER_KEY = $Saved.MasterKey
    $env:HOME = $Saved.Home
    $env:PSModulePath = $Saved.ModulePath
    $global:PSDefaultParameterValues.Clear()
    foreach ($name in $Saved.Defaults.Keys) { $global:PSDefaultParameterValues[$name] = $Saved.Defaults[$name] }
}

# The module keeps this session's database connections open between commands (pooled). Removing it closes them
# (its OnRemove), and importing it again makes the next command open the files as a new session would: use it where
# a test damages or replaces files and the point is what a session that opens them afterwards sees.
# Removing the module also forgets the unlocked key ring: -UnlockWith unlocks the key file again afterwards, as a new
# session would first do, and closes the connection that opened again, so no file is held open (a failure to unlock, such
# as a damaged database, is left for the test's own commands to meet).
function Reset-CtModuleSession {
    param([securestring] $UnlockWith)
    Remove-Module CryptoTrader -Force -ErrorAction Ignore
    Import-Module (Get-CtModulePath) -Global -Force
    if ($UnlockWith) {
        try { Unlock-CtKeyStore -Password $UnlockWith -ErrorAction Stop | Out-Null } catch { Write-Verbose "Not unlocked: $_" }
        $core = [AppDomain]::CurrentDomain.GetAssemblies() | Where-Object { $_.GetName().Name -eq 'CryptoTrader.Core' } | Select-Object -First 1
        $core.GetType('CryptoTrader.Core.Storage.CtDatabase', $true)::ReleasePooledConnections()
    }
}

# A fresh Fernet key (URL-safe base64 of 32 random bytes), as CRYPTOTRADER_MASTER_KEY holds it.
function New-CtTestFernetKey {
    return [Convert]::ToBase64String([Security.Cryptography.RandomNumberGenerator]::GetBytes(32)).Replace('+', '-').Replace('/', '_')
}

function ConvertTo-TestSecureString {
    param([Parameter(Mandatory)] [string] $Text)
    return ConvertTo-SecureString -String $Text -AsPlainText -Force
}

# Runs a script in a fresh pwsh (same PowerShell as this one) and returns its exit code and all output.
# -Under runs that pwsh under another command (such as strace and its options).
function Invoke-CtChildPwsh {
    param(
        [Parameter(Mandatory)] [string] $Script,
        [hashtable] $Environment = @{},
        [string[]] $Under = @()
    )
    $pwsh = @([Environment]::ProcessPath)
    if ([IO.Path]::GetFileNameWithoutExtension($pwsh[0]) -ne 'pwsh') { $pwsh += (Join-Path $PSHOME 'pwsh.dll') }
    $command = @($Under) + $pwsh
    $process = $command[0]
    $arguments = @($command | Select-Object -Skip 1)
    $file = Join-Path ([IO.Path]::GetTempPath()) ("ct-child-" + [guid]::NewGuid().ToString('N') + '.ps1')
    Set-Content -Path $file -Value ("`$PSStyle.OutputRendering = 'PlainText'`n" + $Script)
    $saved = @{}
    foreach ($name in $Environment.Keys) {
        $saved[$name] = [Environment]::GetEnvironmentVariable($name)
        [Environment]::SetEnvironmentVariable($name, $Environment[$name])
    }
    try {
        $output = & $process @arguments -NoProfile -NonInteractive -File $file 2>&1 | ForEach-Object { "$_" }
        return [pscustomobject]@{ ExitCode = $LASTEXITCODE; Output = ($output -join "`n") }
    }
    finally {
        foreach ($name in $saved.Keys) { [Environment]::SetEnvironmentVariable($name, $saved[$name]) }
        Remove-Item $file -ErrorAction Ignore
    }
}

# Why a real Secret Service cannot be started here, or $null when it can (Linux with dbus-daemon, gnome-keyring-daemon, secret-tool).
# With CT_REQUIRE_KEYRING=1 (.ci/run) a missing tool is an error, not a skip.
function Get-CtTestKeyringUnavailableReason {
    $why = Get-CtTestKeyringProblem
    if ($why -and $env:CT_REQUIRE_KEYRING -eq '1' -and $IsLinux) { throw "CT_REQUIRE_KEYRING=1 but the keyring tests cannot run: $why" }
    return $why
}

function Get-CtTestKeyringProblem {
    if (-not $IsLinux) { return 'Linux only: the Secret Service (macOS and Windows keyrings have their own xunit tests).' }
    foreach ($tool in 'dbus-daemon', 'gnome-keyring-daemon', 'secret-tool') {
        if (-not (Get-Command $tool -CommandType Application -ErrorAction Ignore)) {
            return "$tool is not installed (Debian packages dbus, gnome-keyring, libsecret-tools; .ci/run installs them)."
        }
    }
    return $null
}

# Starts a private session bus with an unlocked gnome-keyring (tests/keyring/start-test-keyring.sh) and points
# DBUS_SESSION_BUS_ADDRESS at it. Returns an object for Stop-CtTestKeyring. -NoKeyring: a bus without a Secret Service.
function Start-CtTestKeyring {
    param([switch] $NoKeyring)
    $folder = Join-Path ([IO.Path]::GetTempPath()) ('ct-keyring-' + [guid]::NewGuid().ToString('N').Substring(0, 12))
    $script = Join-Path $PSScriptRoot '../keyring/start-test-keyring.sh'
    $arguments = @($script, $folder)
    if ($NoKeyring) { $arguments += '--no-keyring' }
    $lines = @(& sh @arguments)
    if ($LASTEXITCODE -ne 0 -or $lines.Count -lt 2) { throw "start-test-keyring.sh failed: $lines" }
    $keyring = [pscustomobject]@{ Address = $lines[0].Trim(); Pid = [int] $lines[1].Trim(); Folder = $folder; SavedAddress = $env:DBUS_SESSION_BUS_ADDRESS }
    $env:DBUS_SESSION_BUS_ADDRESS = $keyring.Address
    return $keyring
}

function Stop-CtTestKeyring {
    param([Parameter(Mandatory)] $Keyring)
    $env:DBUS_SESSION_BUS_ADDRESS = $Keyring.SavedAddress
    Stop-Process -Id $Keyring.Pid -ErrorAction Ignore
    Remove-Item $Keyring.Folder -Recurse -Force -ErrorAction Ignore
}

# secret-tool on the test bus: returns the exit code and output.
function Invoke-CtSecretTool {
    param([Parameter(Mandatory)] $Keyring, [Parameter(ValueFromRemainingArguments)] [string[]] $Arguments)
    $saved = $env:DBUS_SESSION_BUS_ADDRESS
    $env:DBUS_SESSION_BUS_ADDRESS = $Keyring.Address
    try {
        $output = '' | & secret-tool @Arguments 2>&1 | ForEach-Object { "$_" }
        return [pscustomobject]@{ ExitCode = $LASTEXITCODE; Output = ($output -join "`n") }
    }
    finally { $env:DBUS_SESSION_BUS_ADDRESS = $saved }
}

# Starts a fresh pwsh (same PowerShell as this one) running $Script without waiting for it; for the crash suites,
# which kill it. PROGRESS_FILE in the script is replaced by the path of a file the child appends progress lines to
# (read them with Wait-CtChildProgress). The child gets CRYPTOTRADER_HOME = $DataHome and no CRYPTOTRADER_MASTER_KEY
# unless $Environment sets them. With -CaptureOutput its stdout and stderr go to files (the object's StdoutFile
# and StderrFile) instead of this console.
function Start-CtChildPwsh {
    param(
        [Parameter(Mandatory)] [string] $Script,
        [Parameter(Mandatory)] [string] $DataHome,
        [hashtable] $Environment = @{},
        [switch] $CaptureOutput
    )
    $stem = Join-Path ([IO.Path]::GetTempPath()) ("ct-child-" + [guid]::NewGuid().ToString('N'))
    $progress = "$stem.log"
    $file = "$stem.ps1"
    Set-Content -Path $file -Value ("`$PSStyle.OutputRendering = 'PlainText'`n" + $Script.Replace('PROGRESS_FILE', $progress))
    $launcher = $file
    if ($CaptureOutput) {
        # Redirect inside a shell: the child's streams go straight to files, with no pipe this process must drain.
        $launcher = "$stem.sh"
        $pwsh = @([Environment]::ProcessPath)
        if ([IO.Path]::GetFileNameWithoutExtension([Environment]::ProcessPath) -ne 'pwsh') { $pwsh += (Join-Path $PSHOME 'pwsh.dll') }
        $quoted = ($pwsh + '-NoProfile', '-NonInteractive', '-File', $file | ForEach-Object { "'" + $_.Replace("'", "'\''") + "'" }) -join ' '
        Set-Content -Path $launcher -Value "exec $quoted >'$stem.out' 2>'$stem.err'"
        $start = [Diagnostics.ProcessStartInfo]::new('/bin/sh')
        $start.ArgumentList.Add($launcher)
    }
    else {
        $start = [Diagnostics.ProcessStartInfo]::new([Environment]::ProcessPath)
        if ([IO.Path]::GetFileNameWithoutExtension([Environment]::ProcessPath) -ne 'pwsh') { $start.ArgumentList.Add((Join-Path $PSHOME 'pwsh.dll')) }
        foreach ($argument in '-NoProfile', '-NonInteractive', '-File', $file) { $start.ArgumentList.Add($argument) }
    }
    $start.UseShellExecute = $false
    $start.Environment['CRYPTOTRADER_HOME'] = $DataHome
    $start.Environment.Remove('CRYPTOTRADER_MASTER_KEY') | Out-Null
    foreach ($name in $Environment.Keys) { $start.Environment[$name] = $Environment[$name] }
    $process = [Diagnostics.Process]::Start($start)
    $process | Add-Member -NotePropertyName ScriptFile -NotePropertyValue $file
    $process | Add-Member -NotePropertyName Launcher -NotePropertyValue $launcher
    $process | Add-Member -NotePropertyName Progress -NotePropertyValue $progress
    $process | Add-Member -NotePropertyName StdoutFile -NotePropertyValue "$stem.out"
    $process | Add-Member -NotePropertyName StderrFile -NotePropertyValue "$stem.err"
    return $process
}

# The child's progress lines so far.
function Get-CtChildProgress {
    param([Parameter(Mandatory)] $Process)
    return @(if (Test-Path $Process.Progress) { Get-Content $Process.Progress })
}

# Waits until the child's progress file has at least $Count lines, and returns them.
function Wait-CtChildProgress {
    param([Parameter(Mandatory)] $Process, [Parameter(Mandatory)] [int] $Count, [int] $TimeoutSeconds = 90)
    $deadline = [DateTime]::UtcNow.AddSeconds($TimeoutSeconds)
    while ([DateTime]::UtcNow -lt $deadline) {
        $lines = Get-CtChildProgress $Process
        if ($lines.Count -ge $Count) { return $lines }
        if ($Process.HasExited) {
            $why = if (Test-Path $Process.StderrFile) { Get-Content $Process.StderrFile -Raw }
            throw "the child ended (exit code $($Process.ExitCode)) after: $($lines -join '; ') $why"
        }
        Start-Sleep -Milliseconds 10
    }
    throw "the child did not get to $Count progress lines within $TimeoutSeconds s"
}

# Kills the child with SIGKILL (no finally blocks, no flush in the child), waits for it, and returns its progress lines.
function Stop-CtChild {
    param([Parameter(Mandatory)] $Process)
    if (-not $Process.HasExited) { $Process.Kill() }
    $Process.WaitForExit()
    $lines = Get-CtChildProgress $Process
    Remove-CtChildFiles $Process
    return $lines
}

function Remove-CtChildFiles {
    param([Parameter(Mandatory)] $Process)
    Remove-Item $Process.ScriptFile, $Process.Launcher, $Process.Progress, "$($Process.Progress).go", $Process.StdoutFile, $Process.StderrFile -ErrorAction Ignore
}

# Starts the Coinbase stand-in (tests/CoinbaseStub, bounded lifetime) and waits for it to listen; returns its folder,
# URL, key name, CA and key files, request log and process. -Options go to the stub as they are (--candle-rate-limit n, --candle-gap-every n).
function Start-CoinbaseStub {
    param([bool] $CanTrade = $true, [bool] $CanTransfer = $false, [string[]] $Options = @(), [int] $LifetimeSeconds = 240)
    $root = Join-Path $PSScriptRoot '../CoinbaseStub'
    $dll = Get-ChildItem (Join-Path $root 'bin') -Recurse -Filter CoinbaseStub.dll -ErrorAction Ignore |
        Where-Object FullName -Match 'net10\.0' | Sort-Object LastWriteTime -Descending | Select-Object -First 1
    if (-not $dll) {
        & dotnet build (Join-Path $root 'CoinbaseStub.csproj') -c Release --nologo --verbosity quiet | Out-Host
        $dll = Get-ChildItem (Join-Path $root 'bin/Release') -Recurse -Filter CoinbaseStub.dll | Select-Object -First 1
    }
    $folder = Join-Path ([IO.Path]::GetTempPath()) ('ct-coinbase-stub-' + [guid]::NewGuid().ToString('N'))
    $info = [Diagnostics.ProcessStartInfo]::new('dotnet')
    foreach ($argument in @($dll.FullName, $folder, "$LifetimeSeconds", "$CanTrade".ToLowerInvariant(), "$CanTransfer".ToLowerInvariant()) + $Options) {
        $info.ArgumentList.Add($argument)
    }
    $info.RedirectStandardInput = $true
    $info.RedirectStandardOutput = $true
    $info.UseShellExecute = $false
    $process = [Diagnostics.Process]::Start($info)
    $deadline = [DateTime]::UtcNow.AddSeconds(60)
    while (-not (Test-Path (Join-Path $folder 'url.txt'))) {
        if ($process.HasExited -or [DateTime]::UtcNow -gt $deadline) {
            if (-not $process.HasExited) { $process.Kill() }
            throw 'The Coinbase stub did not start within 60 seconds.'
        }
        Start-Sleep -Milliseconds 200
    }
    return [pscustomobject]@{
        Process = $process
        Folder  = $folder
        Url     = (Get-Content (Join-Path $folder 'url.txt') -Raw).Trim()
        KeyName = (Get-Content (Join-Path $folder 'key-name.txt') -Raw).Trim()
        CaFile  = Join-Path $folder 'ca.pem'
        KeyFile = Join-Path $folder 'key.pem'
        RequestLog = Join-Path $folder 'requests.log'
    }
}

function Stop-CoinbaseStub {
    param($Stub)
    if (-not $Stub) { return }
    try { $Stub.Process.StandardInput.Close() } catch { }
    if (-not $Stub.Process.WaitForExit(10000)) { $Stub.Process.Kill() }
    Remove-Item $Stub.Folder -Recurse -Force -ErrorAction Ignore
}

# Runs SQL through Python's sqlite3 on the data folder's database, as another program with the file could, and
# returns the rows as tab-separated lines. It never writes unless the SQL does.
function Invoke-CtRawSql {
    param([Parameter(Mandatory)] [string] $Sql, [string] $DataHome = $env:CRYPTOTRADER_HOME)
    $database = Join-Path $DataHome 'cryptotrader.db'
    $code = "import sqlite3,sys`nc=sqlite3.connect(sys.argv[1])`nfor r in c.execute(sys.stdin.read()): print('\t'.join('' if v is None else str(v) for v in r))`nc.commit()"
    $rows = @($Sql | & /usr/bin/python3 -c $code $database)
    if ($LASTEXITCODE -ne 0) { throw "sqlite3 failed: $Sql" }
    return $rows
}

# Places an order (never asking to confirm) and captures what it wrote before failing: Records (the pipeline), Error
# (the terminating ErrorRecord, or $null).
function Invoke-CtTestTrade {
    $records = $null
    $failure = $null
    try { Invoke-CtTrade @args -Confirm:$false -ErrorAction Stop -OutVariable records | Out-Null }
    catch { $failure = $_ }
    [pscustomobject]@{ Records = @($records); Error = $failure }
}

Export-ModuleMember -Function Invoke-CtTestTrade, Get-CtModulePath, Save-CtTestSession, Restore-CtTestSession, Reset-CtModuleSession, New-CtTestHome, New-CtTestFernetKey, ConvertTo-TestSecureString, Invoke-CtChildPwsh,
    Get-CtTestKeyringUnavailableReason, Start-CtTestKeyring, Stop-CtTestKeyring, Invoke-CtSecretTool,
    Start-CtChildPwsh, Get-CtChildProgress, Wait-CtChildProgress, Stop-CtChild, Remove-CtChildFiles, Invoke-CtRawSql,
    Start-CoinbaseStub, Stop-CoinbaseStub
