# The data folder is the user's own (issue 17, point 5). The folder and every file the module opens must belong to the
# user running it; a link where one of its files should be is refused, never followed and never chmod'ed through; every
# file is created 0600 (the folder 0700) and what is found wider is made 0600; no read of a file there is unbounded.
#
# Each case runs the module in a fresh pwsh on its own data folder (Invoke-Steps below). "Another user" is nobody
# (uid 65534): the suite runs as root here, which may give a folder or file to it with chown; those cases skip elsewhere.
BeforeDiscovery {
    $script:IsRoot = $IsLinux -and ((& id -u) -eq '0')
}

BeforeAll {
    Import-Module (Join-Path $PSScriptRoot 'TestHelpers.psm1') -Force
    $script:Nobody = '65534'
    $script:MasterKey = New-CtTestFernetKey

    # Runs named steps in one fresh pwsh on the data folder and returns, per step, the ErrorId, category and message of
    # its failure (empty when it succeeded) and what it wrote to the pipeline (audit records left out).
    function Invoke-Steps([string] $DataHome, [string] $Steps, [hashtable] $Environment = @{}) {
        $script = @'
$ErrorActionPreference = 'Stop'
$WarningPreference = 'SilentlyContinue'
Import-Module $env:CT_MODULE_PATH
$passphrase = ConvertTo-SecureString 'a long enough test passphrase' -AsPlainText -Force
$results = [ordered]@{}
function Step([string] $Name, [scriptblock] $Call) {
    $output = [System.Collections.Generic.List[object]]::new()
    $result = [ordered]@{ ErrorId = ''; Category = ''; Message = ''; Output = $output }
    try {
        & $Call | Where-Object { $_.PSObject.TypeNames[0] -ne 'CryptoTrader.AuditRecord' } | ForEach-Object { $output.Add($_) }
    }
    catch {
        $result.ErrorId = ($_.FullyQualifiedErrorId -split ',')[0]
        $result.Category = "$($_.CategoryInfo.Category)"
        $result.Message = $_.Exception.Message
    }
    $results[$Name] = $result
}
'@ + "`n" + $Steps + "`n" + @'
'RESULT ' + ($results | ConvertTo-Json -Depth 4 -Compress -EnumsAsStrings)
'@
        $variables = @{ CRYPTOTRADER_HOME = $DataHome; CRYPTOTRADER_MASTER_KEY = $null }
        foreach ($name in $Environment.Keys) { $variables[$name] = $Environment[$name] }
        $run = Invoke-CtChildPwsh -Script $script -Environment $variables
        $line = @($run.Output -split "`n" | Where-Object { $_.StartsWith('RESULT ') }) | Select-Object -Last 1
        if (-not $line) { throw "The child pwsh printed no result (exit code $($run.ExitCode)): $($run.Output)" }
        return $line.Substring(7) | ConvertFrom-Json
    }

    # A data folder with a key file (File store), two API keys and their audit records; every session closed.
    function New-PopulatedHome {
        $path = Join-Path (Get-PSDrive TestDrive).Root ([guid]::NewGuid().ToString('N'))
        $made = Invoke-Steps $path @'
Step unlock { Unlock-CtKeyStore -Password $passphrase }
Step keys { 1..2 | ForEach-Object { Set-CtApiKey -Exchange paper -Name "k$_" -ApiKey "AK-$_" -ApiSecret (ConvertTo-SecureString "secret-$_" -AsPlainText -Force) } }
'@
        $made.unlock.ErrorId + $made.keys.ErrorId | Should -BeNullOrEmpty -Because "$($made.unlock.Message) $($made.keys.Message)"
        foreach ($file in 'cryptotrader.db', 'audit.head', 'keyring.key', 'keyring.lock') { Join-Path $path $file | Should -Exist }
        return $path
    }

    function Get-Mode([string] $Path) { (& stat -c '%a' $Path).Trim() }
    function Get-Owner([string] $Path) { (& stat -c '%u' $Path).Trim() }
    function Get-Hash([string] $Path) { (Get-FileHash -Algorithm SHA256 -LiteralPath $Path).Hash }

    function Assert-Refused($Step, [string] $Path) {
        $Step.ErrorId | Should -Be 'DataFolderInsecure' -Because $Step.Message
        $Step.Category | Should -Be 'SecurityError'
        $Step.Message | Should -Match ([regex]::Escape($Path))
    }

    # A file of the user's own elsewhere, which a link in the data folder points at: it must come through untouched.
    function New-Victim([string] $Content = 'a file of the user''s own') {
        $victim = Join-Path (Get-PSDrive TestDrive).Root ("victim-" + [guid]::NewGuid().ToString('N'))
        Set-Content -LiteralPath $victim -Value $Content -NoNewline
        chmod 644 $victim
        return $victim
    }
}

Describe 'A data folder that belongs to another user' -Skip:(-not $IsRoot) {
    BeforeEach {
        $script:Folder = Join-Path (Get-PSDrive TestDrive).Root ([guid]::NewGuid().ToString('N'))
        New-Item -ItemType Directory -Path $Folder | Out-Null
        chmod 755 $Folder
        chown $Nobody $Folder
    }

    It 'is refused with DataFolderInsecure saying what to do, and is neither chmod''ed nor written' {
        $run = Invoke-Steps $Folder @'
Step config { Get-CtConfig }
Step key { Set-CtApiKey -Exchange paper -Name k1 -ApiKey 'AK-1' -ApiSecret (ConvertTo-SecureString 'secret-1' -AsPlainText -Force) }
Step verify { Test-CtAuditLog }
'@ -Environment @{ CRYPTOTRADER_MASTER_KEY = $MasterKey }
        foreach ($step in $run.config, $run.key, $run.verify) { Assert-Refused $step $Folder }
        $run.key.Message | Should -Match 'uid 65534'
        $run.key.Message | Should -Match 'chown'
        $run.key.Message | Should -Match 'CRYPTOTRADER_HOME'
        Get-Mode $Folder | Should -Be '755'
        Get-Owner $Folder | Should -Be $Nobody
        @(Get-ChildItem -Force -LiteralPath $Folder).Count | Should -Be 0
    }

    It 'is a High FilePermissions finding of Test-CtSecurity, which then stops with DataFolderInsecure' {
        $run = Invoke-Steps $Folder 'Step report { Test-CtSecurity }' -Environment @{ CRYPTOTRADER_MASTER_KEY = $MasterKey }
        Assert-Refused $run.report $Folder
        $high = @($run.report.Output | Where-Object Severity -EQ 'High')
        $high.Count | Should -Be 1
        $high[0].Check | Should -Be 'FilePermissions'
        $high[0].Target | Should -Be $Folder
        $high[0].Message | Should -Match 'uid 65534'
        $high[0].Remedy | Should -Match 'chown'
        @($run.report.Output | Where-Object Message -Match 'private to their owner').Count | Should -Be 0
        Get-Mode $Folder | Should -Be '755'
    }
}

Describe 'A file in the data folder that belongs to another user' -Skip:(-not $IsRoot) {
    It 'refuses <File> owned by nobody with DataFolderInsecure, leaves it as it is, and Test-CtSecurity calls it High' -ForEach @(
        @{ File = 'cryptotrader.db' }, @{ File = 'audit.head' }, @{ File = 'keyring.key' }, @{ File = 'keyring.lock' }
    ) {
        $folder = New-PopulatedHome
        $path = Join-Path $folder $File
        chown $Nobody $path
        $hash = Get-Hash $path
        $run = Invoke-Steps $folder @'
Step change {
    Unlock-CtKeyStore -Password $passphrase
    Set-CtApiKey -Exchange paper -Name k3 -ApiKey 'AK-3' -ApiSecret (ConvertTo-SecureString 'secret-3' -AsPlainText -Force)
}
Step report { Test-CtSecurity -Check FilePermissions }
'@
        Assert-Refused $run.change $path
        $run.change.Message | Should -Match 'uid 65534'
        $high = @($run.report.Output | Where-Object Severity -EQ 'High')
        $high.Count | Should -Be 1 -Because ($run.report.Output | ConvertTo-Json)
        $high[0].Target | Should -Be $path
        $high[0].Message | Should -Match 'uid 65534'
        Get-Owner $path | Should -Be $Nobody
        Get-Hash $path | Should -Be $hash
    }
}

Describe 'A link where one of the module''s files should be' -Skip:(-not $IsLinux) {
    It 'refuses a link at audit.head (Set-CtApiKey, Repair-CtAuditLog, Test-CtAuditLog) and never writes or chmods through it' {
        $folder = New-PopulatedHome
        $victim = New-Victim
        $head = Join-Path $folder 'audit.head'
        Remove-Item -LiteralPath $head
        New-Item -ItemType SymbolicLink -Path $head -Target $victim | Out-Null
        $run = Invoke-Steps $folder @'
Step unlock { Unlock-CtKeyStore -Password $passphrase }
Step change { Set-CtApiKey -Exchange paper -Name k3 -ApiKey 'AK-3' -ApiSecret (ConvertTo-SecureString 'secret-3' -AsPlainText -Force) }
Step repair { Repair-CtAuditLog -Confirm:$false }
Step verify { Test-CtAuditLog }
Step report { Test-CtSecurity -Check FilePermissions }
'@
        foreach ($step in $run.unlock, $run.change, $run.repair, $run.verify) { Assert-Refused $step $head }
        $run.change.Message | Should -Match 'symbolic link'
        $high = @($run.report.Output | Where-Object Severity -EQ 'High')
        $high.Count | Should -Be 1
        $high[0].Target | Should -Be $head
        $high[0].Message | Should -Match 'symbolic link'
        Get-Content -LiteralPath $victim -Raw | Should -Be 'a file of the user''s own'
        Get-Mode $victim | Should -Be '644'
    }

    It 'refuses a link at cryptotrader.db before SQLite opens it, and does not chmod its target' {
        $folder = New-PopulatedHome
        $database = Join-Path $folder 'cryptotrader.db'
        $target = Join-Path (Get-PSDrive TestDrive).Root ("moved-" + [guid]::NewGuid().ToString('N') + '.db')
        Move-Item -LiteralPath $database -Destination $target
        chmod 644 $target
        New-Item -ItemType SymbolicLink -Path $database -Target $target | Out-Null
        $hash = Get-Hash $target
        $run = Invoke-Steps $folder @'
Step list { Get-CtApiKey }
Step report { Test-CtSecurity -Check FilePermissions }
'@
        Assert-Refused $run.list $database
        $run.list.Message | Should -Match 'symbolic link'
        @($run.report.Output | Where-Object { $_.Severity -eq 'High' -and $_.Target -eq $database }).Count | Should -Be 1
        Get-Mode $target | Should -Be '644'
        Get-Hash $target | Should -Be $hash
        Test-Path -LiteralPath "$target-wal" | Should -BeFalse
    }

    # The key file's copy is 0600, so only the link (not its mode) is what can be refused.
    It 'refuses a link at <File> to a <Mode> file and leaves the file as it was' -ForEach @(
        @{ File = 'keyring.key'; Mode = '600'; Steps = 'Step use { Unlock-CtKeyStore -Password $passphrase }' }
        @{ File = 'keyring.lock'; Mode = '644'; Steps = "Step unlock { Unlock-CtKeyStore -Password `$passphrase }`nStep use { Update-CtEncryptionKey -Confirm:`$false }" }
    ) {
        $folder = New-PopulatedHome
        $path = Join-Path $folder $File
        $victim = New-Victim
        Copy-Item -LiteralPath $path -Destination $victim -Force
        chmod $Mode $victim
        $hash = Get-Hash $victim
        Remove-Item -LiteralPath $path
        New-Item -ItemType SymbolicLink -Path $path -Target $victim | Out-Null
        $run = Invoke-Steps $folder $Steps
        Assert-Refused $run.use $path
        $run.use.Message | Should -Match 'symbolic link'
        Get-Hash $victim | Should -Be $hash
        Get-Mode $victim | Should -Be $Mode
    }
}

Describe 'Reads of the data folder''s files are bounded' -Skip:(-not $IsLinux) {
    # A heap limit makes an unbounded read fail at once (OutOfMemoryException) instead of eating the shared machine.
    BeforeAll { $script:SmallHeap = @{ DOTNET_GCHeapHardLimit = '0x20000000' } }

    It 'refuses a link to /dev/zero at <File> without reading it' -ForEach @(
        @{ File = 'audit.head'; Steps = 'Step use { Test-CtAuditLog }' }
        @{ File = 'keyring.key'; Steps = 'Step use { Unlock-CtKeyStore -Password $passphrase }' }
    ) {
        $folder = New-PopulatedHome
        $path = Join-Path $folder $File
        Remove-Item -LiteralPath $path
        New-Item -ItemType SymbolicLink -Path $path -Target '/dev/zero' | Out-Null
        $run = Invoke-Steps $folder $Steps -Environment $SmallHeap
        Assert-Refused $run.use $path
        $run.use.Message | Should -Match '/dev/zero'
    }

    It 'refuses a key file of 1 GiB with KeyFileCorrupt after reading no more than its bound' {
        $folder = New-PopulatedHome
        $keyFile = Join-Path $folder 'keyring.key'
        & truncate -s 1G $keyFile
        $run = Invoke-Steps $folder 'Step unlock { Unlock-CtKeyStore -Password $passphrase }' -Environment $SmallHeap
        $run.unlock.ErrorId | Should -Be 'KeyFileCorrupt' -Because $run.unlock.Message
        $run.unlock.Message | Should -Match 'larger than'
        (Get-Item -LiteralPath $keyFile).Length | Should -Be 1GB
    }
}

Describe 'File modes in the data folder' -Skip:(-not $IsLinux) {
    It 'makes audit.head, keyring.lock, keyring.key and the database found wider or narrower 0600' {
        $folder = New-PopulatedHome
        chmod 644 (Join-Path $folder 'audit.head')
        chmod 644 (Join-Path $folder 'keyring.lock')
        chmod 400 (Join-Path $folder 'keyring.key')
        chmod 640 (Join-Path $folder 'cryptotrader.db')
        chmod 755 $folder
        $run = Invoke-Steps $folder @'
Step unlock { Unlock-CtKeyStore -Password $passphrase }
Step change { Set-CtApiKey -Exchange paper -Name k3 -ApiKey 'AK-3' -ApiSecret (ConvertTo-SecureString 'secret-3' -AsPlainText -Force) }
'@
        $run.unlock.ErrorId + $run.change.ErrorId | Should -BeNullOrEmpty -Because "$($run.unlock.Message) $($run.change.Message)"
        foreach ($file in 'audit.head', 'keyring.lock', 'keyring.key', 'cryptotrader.db') {
            Get-Mode (Join-Path $folder $file) | Should -Be '600' -Because $file
        }
        Get-Mode $folder | Should -Be '700'
    }

    It 'creates the folder 0700 and every file 0600 from their first instant, under umask 000 (strace)' {
        if (-not (Get-Command strace -CommandType Application -ErrorAction Ignore)) { Set-ItResult -Skipped -Because 'strace is not installed'; return }
        $folder = Join-Path (Get-PSDrive TestDrive).Root ([guid]::NewGuid().ToString('N'))
        $log = Join-Path (Get-PSDrive TestDrive).Root 'strace.log'
        $script = Join-Path (Get-PSDrive TestDrive).Root 'create.ps1'
        Set-Content -LiteralPath $script -Value @'
$ErrorActionPreference = 'Stop'
Import-Module $env:CT_MODULE_PATH
Unlock-CtKeyStore -Password (ConvertTo-SecureString 'a long enough test passphrase' -AsPlainText -Force) | Out-Null
Set-CtApiKey -Exchange paper -Name k1 -ApiKey 'AK-1' -ApiSecret (ConvertTo-SecureString 'secret-1' -AsPlainText -Force) | Out-Null
Update-CtEncryptionKey -Confirm:$false | Out-Null
'done'
'@
        $pwsh = [Environment]::ProcessPath
        $prefix = if ([IO.Path]::GetFileNameWithoutExtension($pwsh) -ne 'pwsh') { "'$(Join-Path $PSHOME 'pwsh.dll')'" } else { '' }
        $saved = $env:CRYPTOTRADER_HOME, $env:CRYPTOTRADER_MASTER_KEY
        try {
            $env:CRYPTOTRADER_HOME = $folder
            Remove-Item Env:CRYPTOTRADER_MASTER_KEY -ErrorAction Ignore
            $output = & strace -f --seccomp-bpf -e trace=open,openat,creat,mkdir,mkdirat -o $log sh -c "umask 000; exec '$pwsh' $prefix -NoProfile -NonInteractive -File '$script'" 2>&1 | Out-String
        }
        finally { $env:CRYPTOTRADER_HOME, $env:CRYPTOTRADER_MASTER_KEY = $saved }
        $output | Should -Match 'done'
        $creations = @(Get-Content -LiteralPath $log | Where-Object {
                $_.Contains("`"$folder") -and ($_ -match 'mkdir' -or $_ -match 'O_CREAT')
            })
        $creations.Count | Should -BeGreaterOrEqual 5 -Because 'the folder, the database, audit.head, the key file''s temporary file and keyring.lock are created'
        foreach ($line in $creations) {
            if ($line -match 'mkdir') { $line | Should -Match ', 0700(\)| <unfinished)' } else { $line | Should -Match ', 0600(\)| <unfinished)' }
        }
        Get-Mode $folder | Should -Be '700'
        foreach ($file in Get-ChildItem -Force -File -LiteralPath $folder) { Get-Mode $file.FullName | Should -Be '600' -Because $file.Name }
    }
}
