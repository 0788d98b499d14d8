. (Join-Path $PSScriptRoot 'StandIn.Common.ps1')

function Get-SecretStoreConfiguration {
    [CmdletBinding()]
    param()
    # The real module needs the store open (its password) to report the configuration; it never prompts here.
    try { Assert-SsUnlocked } catch { $PSCmdlet.ThrowTerminatingError([System.Management.Automation.ErrorRecord]::new($_.Exception, 'Microsoft.PowerShell.SecretManagement.PasswordRequiredException', 'NotSpecified', $null)) }
    $config = Read-SsConfig
    [pscustomobject]@{
        PSTypeName      = 'Microsoft.PowerShell.SecretStore.SecureStoreConfig'
        Scope           = $config.Scope
        Authentication  = $config.Authentication
        PasswordTimeout = [int]$config.PasswordTimeout
        Interaction     = $config.Interaction
    }
}

function Set-SecretStoreConfiguration {
    [CmdletBinding(SupportsShouldProcess, ConfirmImpact = 'High')]
    param(
        [ValidateSet('CurrentUser', 'AllUsers')] [string] $Scope,
        [ValidateSet('None', 'Password')] [string] $Authentication,
        [ValidateRange(-1, 2147483)] [int] $PasswordTimeout,
        [ValidateSet('None', 'Prompt')] [string] $Interaction,
        [securestring] $Password,
        [switch] $PassThru
    )
    $config = Read-SsConfig
    $hasPassword = -not [string]::IsNullOrEmpty($config.Password)
    if ($hasPassword -and (Test-SsLocked) -and (-not $Password -or (ConvertFrom-SsSecureString $Password) -ne $config.Password)) {
        $PSCmdlet.ThrowTerminatingError([System.Management.Automation.ErrorRecord]::new(
                [Microsoft.PowerShell.SecretManagement.PasswordRequiredException]::new($script:PasswordRequiredMessage), 'Microsoft.PowerShell.SecretManagement.PasswordRequiredException', 'NotSpecified', $null))
    }
    if (-not $PSCmdlet.ShouldProcess('SecretStore module local store', 'Write configuration changes')) { return }
    foreach ($name in 'Scope', 'Authentication', 'PasswordTimeout', 'Interaction') {
        if ($PSBoundParameters.ContainsKey($name)) { $config.$name = $PSBoundParameters[$name] }
    }
    if ($Password -and -not $hasPassword) { $config.Password = ConvertFrom-SsSecureString $Password }
    Write-SsConfig $config
    if ($Password -or $config.Authentication -eq 'None') { [AppDomain]::CurrentDomain.SetData($script:UnlockedAtKey, [DateTime]::UtcNow) }
    if ($PassThru) { Get-SecretStoreConfiguration }
}

function Unlock-SecretStore {
    [CmdletBinding()]
    param(
        [Parameter(Position = 0, Mandatory, ValueFromPipeline, ValueFromPipelineByPropertyName)] [securestring] $Password,
        [ValidateRange(-1, 2147483)] [int] $PasswordTimeout
    )
    $config = Read-SsConfig
    if ($config.Authentication -eq 'None') {
        $PSCmdlet.ThrowTerminatingError([System.Management.Automation.ErrorRecord]::new(
                [System.Management.Automation.PSInvalidOperationException]::new('The local store is not configured to use a password.'), 'Microsoft.PowerShell.SecretStore.UnlockSecretStoreCommand', 'InvalidOperation', $null))
    }
    if ((ConvertFrom-SsSecureString $Password) -ne $config.Password) {
        $PSCmdlet.ThrowTerminatingError([System.Management.Automation.ErrorRecord]::new(
                [Microsoft.PowerShell.SecretManagement.PasswordRequiredException]::new('The provided password is incorrect for the Microsoft.PowerShell.SecretStore module vault.'), 'Microsoft.PowerShell.SecretManagement.PasswordRequiredException', 'NotSpecified', $null))
    }
    if ($PSBoundParameters.ContainsKey('PasswordTimeout')) { $config.PasswordTimeout = $PasswordTimeout; Write-SsConfig $config }
    [AppDomain]::CurrentDomain.SetData($script:UnlockedAtKey, [DateTime]::UtcNow)
}

Export-ModuleMember -Function Get-SecretStoreConfiguration, Set-SecretStoreConfiguration, Unlock-SecretStore
