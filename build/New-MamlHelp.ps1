<#
.SYNOPSIS
    Builds the MAML help file (CryptoTrader.PowerShell.dll-Help.xml) from docs/cmdlets/*.md.
.DESCRIPTION
    One Markdown file a cmdlet, named Verb-Noun.md, with these level-2 sections in this order
    (see docs/cmdlets/README.md):

        # Verb-Noun
        ## SYNOPSIS            one paragraph
        ## DESCRIPTION         paragraphs
        ## EXAMPLES            "### Example N: title", a ```powershell block, then explanation paragraphs
        ## PARAMETERS          "### -Name", then its description
        ## INPUTS              "### Type.Name", then a description
        ## OUTPUTS             "### Type.Name", then a description
        ## NOTES               paragraphs (error ids, ConfirmImpact)
        ## RELATED LINKS       "- [text](target)" or "- text" lines

    Syntax, parameter types, Mandatory, Position, pipeline input, wildcards and aliases come from the
    loaded module's own metadata (Get-Command), so they cannot drift from the code. The script throws,
    naming the file and the section, when an exported cmdlet has no file, a file names no exported
    cmdlet, a section is missing or empty, a declared parameter is not described (or a described one
    does not exist), or there are fewer than two examples, or an example has no code.
.PARAMETER DocsPath
    The folder of the Markdown files.
.PARAMETER OutputPath
    The XML file to write.
.PARAMETER ModulePath
    The built module to import for its metadata; when omitted, the CryptoTrader module must already be loaded.
#>
[CmdletBinding()]
param(
    [Parameter(Mandatory)] [string] $DocsPath,
    [Parameter(Mandatory)] [string] $OutputPath,
    [string] $ModulePath
)

$ErrorActionPreference = 'Stop'
Set-StrictMode -Version Latest

$SectionNames = 'SYNOPSIS', 'DESCRIPTION', 'EXAMPLES', 'PARAMETERS', 'INPUTS', 'OUTPUTS', 'NOTES', 'RELATED LINKS'
$NotDocumented = [System.Management.Automation.Cmdlet]::CommonParameters + [System.Management.Automation.Cmdlet]::OptionalCommonParameters
$StandardParameters = @{
    WhatIf  = 'Shows what would happen if the cmdlet runs. The cmdlet is not run and nothing is changed or written to the audit log.'
    Confirm = 'Prompts you for confirmation before running the cmdlet. Use -Confirm:$false in runbooks to suppress the prompt of a cmdlet whose ConfirmImpact is High.'
}

function Fail([string] $File, [string] $Section, [string] $Message) {
    throw "${File}: section '$Section': $Message"
}

# Splits a Markdown body into paragraphs; list items are paragraphs of their own; inline markup is removed.
function ConvertTo-Paragraphs([string[]] $Lines) {
    $paragraphs = [System.Collections.Generic.List[string]]::new()
    $current = [System.Collections.Generic.List[string]]::new()
    $flush = {
        if ($current.Count) { $paragraphs.Add((($current -join ' ') -replace '\s+', ' ').Trim()); $current.Clear() }
    }
    foreach ($line in $Lines) {
        if ($line -match '^\s*$') { & $flush; continue }
        if ($line -match '^\s*([-*]|\d+\.)\s+') { & $flush }
        $current.Add($line.Trim())
    }
    & $flush
    return @($paragraphs | ForEach-Object { ConvertFrom-InlineMarkdown $_ } | Where-Object { $_ })
}

function ConvertFrom-InlineMarkdown([string] $Text) {
    $Text = $Text -replace '\[([^\]]+)\]\([^)]*\)', '$1'   # [text](link) -> text
    $Text = $Text -replace '\*\*([^*]+)\*\*', '$1'          # **bold**
    $Text = $Text -replace '`([^`]+)`', '$1'                # `code`
    return $Text.Trim()
}

# { Title; Lines } for each "<prefix> Title" heading in the lines (text before the first heading is dropped).
function Split-Headings([string[]] $Lines, [string] $Prefix) {
    $parts = [System.Collections.Generic.List[object]]::new()
    $inFence = $false
    foreach ($line in $Lines) {
        if ($line -match '^\s*```') { $inFence = -not $inFence }
        if (-not $inFence -and $line.StartsWith("$Prefix ")) {
            $parts.Add([pscustomobject]@{ Title = $line.Substring($Prefix.Length + 1).Trim(); Lines = [System.Collections.Generic.List[string]]::new() })
        }
        elseif ($parts.Count) { $parts[-1].Lines.Add($line) }
    }
    return $parts
}

function Read-CmdletDoc([string] $Path) {
    $file = Split-Path $Path -Leaf
    $lines = (Get-Content $Path -Encoding utf8) -replace "`r$", ''
    $title = $lines | Where-Object { $_ -match '^# ' } | Select-Object -First 1
    if (-not $title) { Fail $file 'title' "there is no '# Verb-Noun' heading" }
    $sections = @{}
    foreach ($part in Split-Headings $lines '##') {
        $name = $part.Title.ToUpperInvariant()
        if ($name -notin $SectionNames) { Fail $file $part.Title "unknown section (expected: $($SectionNames -join ', '))" }
        $sections[$name] = $part.Lines.ToArray()
    }
    foreach ($name in $SectionNames) {
        if (-not $sections.ContainsKey($name)) { Fail $file $name 'the section is missing' }
        if (-not ($sections[$name] -match '\S')) { Fail $file $name 'the section is empty' }
    }

    $examples = foreach ($part in Split-Headings $sections['EXAMPLES'] '###') {
        # The first fenced block is the code; later fenced blocks (sample output) stay preformatted in the remarks.
        $code = [System.Collections.Generic.List[string]]::new()
        $remarks = [System.Collections.Generic.List[string]]::new()
        $text = [System.Collections.Generic.List[string]]::new()
        $output = $null
        $state = 'before'
        foreach ($line in $part.Lines) {
            if ($line -match '^\s*```') {
                if ($state -eq 'before') { $state = 'code' }
                elseif ($state -eq 'code') { $state = 'after' }
                elseif ($state -eq 'after') {
                    foreach ($p in ConvertTo-Paragraphs $text) { $remarks.Add($p) }
                    $text.Clear(); $output = [System.Collections.Generic.List[string]]::new(); $state = 'output'
                }
                else { $remarks.Add(($output -join "`n").TrimEnd()); $state = 'after' }
                continue
            }
            switch ($state) { 'code' { $code.Add($line) } 'output' { $output.Add($line) } default { $text.Add($line) } }
        }
        if ($state -in 'code', 'output') { Fail $file 'EXAMPLES' "'$($part.Title)' has an unclosed code block" }
        foreach ($p in ConvertTo-Paragraphs $text) { $remarks.Add($p) }
        if (-not ($code -match '\S')) { Fail $file 'EXAMPLES' "'$($part.Title)' has no code" }
        [pscustomobject]@{ Title = $part.Title; Code = ($code -join "`n").Trim(); Remarks = @($remarks) }
    }
    $parameters = [ordered]@{}
    foreach ($part in Split-Headings $sections['PARAMETERS'] '###') {
        $name = $part.Title.TrimStart('-').Trim()
        $paragraphs = @(ConvertTo-Paragraphs $part.Lines)
        if (-not $paragraphs) { Fail $file 'PARAMETERS' "-$name has no description" }
        $parameters[$name] = $paragraphs
    }
    $typed = {
        param($section)
        foreach ($part in Split-Headings $sections[$section] '###') {
            [pscustomobject]@{ Type = $part.Title; Description = @(ConvertTo-Paragraphs $part.Lines) }
        }
    }
    $inputs = @(& $typed 'INPUTS')
    $outputs = @(& $typed 'OUTPUTS')
    if (-not $inputs) { Fail $file 'INPUTS' "no '### Type' entry (use '### None' when nothing binds from the pipeline)" }
    if (-not $outputs) { Fail $file 'OUTPUTS' "no '### Type' entry (use '### None' when nothing is written)" }
    $links = foreach ($line in $sections['RELATED LINKS'] -match '^\s*[-*]\s+') {
        $item = ($line -replace '^\s*[-*]\s+', '').Trim()
        if ($item -match '^\[([^\]]+)\]\(([^)]*)\)$') {
            $uri = if ($Matches[2] -match '^https?://') { $Matches[2] } else { '' }
            [pscustomobject]@{ Text = $Matches[1]; Uri = $uri }
        }
        else { [pscustomobject]@{ Text = $item; Uri = '' } }
    }
    return [pscustomobject]@{
        File        = $file
        Name        = $title.Substring(2).Trim()
        Synopsis    = (ConvertTo-Paragraphs $sections['SYNOPSIS']) -join ' '
        Description = @(ConvertTo-Paragraphs $sections['DESCRIPTION'])
        Examples    = @($examples)
        Parameters  = $parameters
        Inputs      = $inputs
        Outputs     = $outputs
        Notes       = @(ConvertTo-Paragraphs $sections['NOTES'])
        Links       = @($links)
    }
}

# --- XML writing ---------------------------------------------------------------------------------

$ns = @{
    maml    = 'http://schemas.microsoft.com/maml/2004/10'
    command = 'http://schemas.microsoft.com/maml/dev/command/2004/10'
    dev     = 'http://schemas.microsoft.com/maml/dev/2004/10'
}

function Write-Paragraphs([System.Xml.XmlWriter] $Writer, [string[]] $Paragraphs) {
    foreach ($p in $Paragraphs) { $Writer.WriteElementString('maml', 'para', $ns.maml, $p) }
}

function Write-Description([System.Xml.XmlWriter] $Writer, [string[]] $Paragraphs) {
    $Writer.WriteStartElement('maml', 'description', $ns.maml)
    Write-Paragraphs $Writer $Paragraphs
    $Writer.WriteEndElement()
}

function Get-TypeName([type] $Type) {
    $underlying = [Nullable]::GetUnderlyingType($Type)
    if ($underlying) { $Type = $underlying }
    if ($Type -eq [System.Management.Automation.SwitchParameter]) { return 'SwitchParameter' }
    if ($Type.Namespace -eq 'System') { return $Type.Name }   # String, DateTime, Int32[] as PowerShell's own help shows them
    return $Type.FullName
}

function Get-PipelineInput($Parameters) {
    $byValue = $Parameters.ValueFromPipeline -contains $true
    $byName = $Parameters.ValueFromPipelineByPropertyName -contains $true
    if ($byValue -and $byName) { return 'True (ByValue, ByPropertyName)' }
    if ($byValue) { return 'True (ByValue)' }
    if ($byName) { return 'True (ByPropertyName)' }
    return 'False'
}

function Get-Position($Parameter) {
    if ($Parameter.Position -lt 0) { return 'named' } else { return [string] $Parameter.Position }
}

# Writes a command:parameter element; $InSets is the CommandParameterInfo of this parameter in each set that has it.
function Write-Parameter([System.Xml.XmlWriter] $Writer, $Metadata, $InSets, [string[]] $Description, [bool] $InSyntax) {
    $required = @($InSets | ForEach-Object { $_.IsMandatory.ToString().ToLowerInvariant() } | Select-Object -Unique)
    $positions = @($InSets | ForEach-Object { Get-Position $_ } | Select-Object -Unique)
    $isSwitch = $Metadata.ParameterType -eq [System.Management.Automation.SwitchParameter]
    $wildcards = [bool] ($Metadata.Attributes | Where-Object { $_ -is [System.Management.Automation.SupportsWildcardsAttribute] })
    $Writer.WriteStartElement('command', 'parameter', $ns.command)
    $Writer.WriteAttributeString('required', ($required -join ', '))
    $Writer.WriteAttributeString('variableLength', ([string] $Metadata.ParameterType.IsArray).ToLowerInvariant())
    $Writer.WriteAttributeString('globbing', ([string] $wildcards).ToLowerInvariant())
    $Writer.WriteAttributeString('pipelineInput', (Get-PipelineInput $InSets))
    $Writer.WriteAttributeString('position', ($positions -join ', '))
    $Writer.WriteAttributeString('aliases', $(if ($Metadata.Aliases.Count) { $Metadata.Aliases -join ', ' } else { 'none' }))
    $Writer.WriteElementString('maml', 'name', $ns.maml, $Metadata.Name)
    if (-not $InSyntax) { Write-Description $Writer $Description }
    $typeName = Get-TypeName $Metadata.ParameterType
    if (-not $isSwitch) {
        $Writer.WriteStartElement('command', 'parameterValue', $ns.command)
        $Writer.WriteAttributeString('required', 'true')
        $Writer.WriteAttributeString('variableLength', ([string] $Metadata.ParameterType.IsArray).ToLowerInvariant())
        $Writer.WriteString($typeName)
        $Writer.WriteEndElement()
    }
    $validateSet = $Metadata.Attributes | Where-Object { $_ -is [System.Management.Automation.ValidateSetAttribute] } | Select-Object -First 1
    $enumType = [Nullable]::GetUnderlyingType($Metadata.ParameterType) ?? $Metadata.ParameterType
    $values = if ($validateSet) { $validateSet.ValidValues } elseif ($enumType.IsEnum) { [enum]::GetNames($enumType) } else { @() }
    if ($InSyntax -and $values) {
        $Writer.WriteStartElement('command', 'parameterValueGroup', $ns.command)
        foreach ($value in $values) {
            $Writer.WriteStartElement('command', 'parameterValue', $ns.command)
            $Writer.WriteAttributeString('required', 'false')
            $Writer.WriteAttributeString('variableLength', 'false')
            $Writer.WriteString($value)
            $Writer.WriteEndElement()
        }
        $Writer.WriteEndElement()
    }
    if (-not $InSyntax) {
        $Writer.WriteStartElement('dev', 'type', $ns.dev)
        $Writer.WriteElementString('maml', 'name', $ns.maml, $typeName)
        $Writer.WriteElementString('maml', 'uri', $ns.maml, '')
        $Writer.WriteEndElement()
        $Writer.WriteElementString('dev', 'defaultValue', $ns.dev, $(if ($isSwitch) { 'False' } else { 'None' }))
    }
    $Writer.WriteEndElement()
}

function Write-TypeList([System.Xml.XmlWriter] $Writer, [string] $Outer, [string] $Inner, $Entries) {
    $Writer.WriteStartElement('command', $Outer, $ns.command)
    foreach ($entry in $Entries) {
        $Writer.WriteStartElement('command', $Inner, $ns.command)
        $Writer.WriteStartElement('dev', 'type', $ns.dev)
        $Writer.WriteElementString('maml', 'name', $ns.maml, $entry.Type)
        $Writer.WriteEndElement()
        Write-Description $Writer $entry.Description
        $Writer.WriteEndElement()
    }
    $Writer.WriteEndElement()
}

function Write-Command([System.Xml.XmlWriter] $Writer, $Doc, [System.Management.Automation.CmdletInfo] $Command) {
    $Writer.WriteStartElement('command', 'command', $ns.command)
    $Writer.WriteAttributeString('xmlns', 'maml', $null, $ns.maml)
    $Writer.WriteAttributeString('xmlns', 'command', $null, $ns.command)
    $Writer.WriteAttributeString('xmlns', 'dev', $null, $ns.dev)

    $Writer.WriteStartElement('command', 'details', $ns.command)
    $Writer.WriteElementString('command', 'name', $ns.command, $Command.Name)
    Write-Description $Writer @($Doc.Synopsis)
    $Writer.WriteElementString('command', 'verb', $ns.command, $Command.Verb)
    $Writer.WriteElementString('command', 'noun', $ns.command, $Command.Noun)
    $Writer.WriteEndElement()

    Write-Description $Writer $Doc.Description

    $descriptions = @{}
    foreach ($key in $Doc.Parameters.Keys) { $descriptions[$key] = $Doc.Parameters[$key] }
    foreach ($key in $StandardParameters.Keys) { if (-not $descriptions.ContainsKey($key)) { $descriptions[$key] = @($StandardParameters[$key]) } }
    $shown = { param($name) $name -notin [System.Management.Automation.Cmdlet]::CommonParameters -and $name -notin 'ErrorAction', 'WarningAction' }

    $Writer.WriteStartElement('command', 'syntax', $ns.command)
    $sets = @($Command.ParameterSets | Sort-Object { -not $_.IsDefault })
    foreach ($set in $sets) {
        $Writer.WriteStartElement('command', 'syntaxItem', $ns.command)
        $Writer.WriteElementString('maml', 'name', $ns.maml, $Command.Name)
        $ordered = @($set.Parameters | Where-Object { & $shown $_.Name } |
            Sort-Object @{ Expression = { if ($_.Position -lt 0) { [int]::MaxValue } else { $_.Position } } }, @{ Expression = { -not $_.IsMandatory } })
        foreach ($parameter in $ordered) {
            Write-Parameter $Writer $Command.Parameters[$parameter.Name] @($parameter) $null $true
        }
        $Writer.WriteEndElement()
    }
    $Writer.WriteEndElement()

    $Writer.WriteStartElement('command', 'parameters', $ns.command)
    foreach ($name in $Command.Parameters.Keys | Where-Object { & $shown $_ } | Sort-Object) {
        $inSets = @($sets | ForEach-Object { $_.Parameters | Where-Object Name -eq $name })
        Write-Parameter $Writer $Command.Parameters[$name] $inSets $descriptions[$name] $false
    }
    $Writer.WriteEndElement()

    Write-TypeList $Writer 'inputTypes' 'inputType' $Doc.Inputs
    Write-TypeList $Writer 'returnValues' 'returnValue' $Doc.Outputs

    $Writer.WriteStartElement('maml', 'alertSet', $ns.maml)
    $Writer.WriteStartElement('maml', 'alert', $ns.maml)
    Write-Paragraphs $Writer $Doc.Notes
    $Writer.WriteEndElement()
    $Writer.WriteEndElement()

    $Writer.WriteStartElement('command', 'examples', $ns.command)
    $number = 0
    foreach ($example in $Doc.Examples) {
        $number++
        $title = $example.Title -replace '^Example\s+\d+\s*:?\s*', ''
        $Writer.WriteStartElement('command', 'example', $ns.command)
        $Writer.WriteElementString('maml', 'title', $ns.maml, "--------- Example ${number}: $title ---------")
        $Writer.WriteElementString('dev', 'code', $ns.dev, $example.Code)
        $Writer.WriteStartElement('dev', 'remarks', $ns.dev)
        Write-Paragraphs $Writer $example.Remarks
        $Writer.WriteEndElement()
        $Writer.WriteEndElement()
    }
    $Writer.WriteEndElement()

    $Writer.WriteStartElement('command', 'relatedLinks', $ns.command)
    foreach ($link in $Doc.Links) {
        $Writer.WriteStartElement('maml', 'navigationLink', $ns.maml)
        $Writer.WriteElementString('maml', 'linkText', $ns.maml, $link.Text)
        $Writer.WriteElementString('maml', 'uri', $ns.maml, $link.Uri)
        $Writer.WriteEndElement()
    }
    $Writer.WriteEndElement()

    $Writer.WriteEndElement()
}

# --- main ------------------------------------------------------------------------------------------

if ($ModulePath) { Import-Module $ModulePath -Force }
$module = Get-Module CryptoTrader
if (-not $module) { throw 'The CryptoTrader module is not loaded: pass -ModulePath (the built module folder).' }
$commands = @($module.ExportedCmdlets.Values | Sort-Object Name)
if (-not $commands) { throw "The CryptoTrader module at '$($module.ModuleBase)' exports no cmdlets." }

$docs = @{}
foreach ($file in Get-ChildItem $DocsPath -Filter '*-*.md') {
    $doc = Read-CmdletDoc $file.FullName
    if ($doc.Name -ne $file.BaseName) { Fail $file.Name 'title' "the heading names '$($doc.Name)', the file name '$($file.BaseName)'" }
    $docs[$doc.Name] = $doc
}
foreach ($name in $docs.Keys) {
    if ($name -notin $commands.Name) { Fail "$name.md" 'title' "'$name' is not a cmdlet the module exports (stale file?)" }
}

$settings = [System.Xml.XmlWriterSettings]::new()
$settings.Indent = $true
$settings.Encoding = [System.Text.UTF8Encoding]::new($false)
$directory = Split-Path ([IO.Path]::GetFullPath($OutputPath)) -Parent
New-Item -ItemType Directory -Force -Path $directory | Out-Null
$temporary = "$OutputPath.tmp"
$writer = [System.Xml.XmlWriter]::Create($temporary, $settings)
try {
    $writer.WriteStartDocument()
    $writer.WriteStartElement('helpItems', 'http://msh')
    $writer.WriteAttributeString('schema', 'maml')
    foreach ($command in $commands) {
        $file = "$($command.Name).md"
        $doc = $docs[$command.Name]
        if (-not $doc) { Fail $file 'all' "$($command.Name) is exported but '$(Join-Path $DocsPath $file)' does not exist" }
        if ($doc.Examples.Count -lt 2) { Fail $file 'EXAMPLES' "$($doc.Examples.Count) example(s); at least 2 are required" }
        $declared = @($command.Parameters.Keys | Where-Object { $_ -notin $NotDocumented })
        foreach ($name in $declared) {
            if (-not $doc.Parameters.Contains($name)) { Fail $file 'PARAMETERS' "-$name is declared by $($command.Name) but not described (add '### -$name')" }
        }
        foreach ($name in $doc.Parameters.Keys) {
            if ($name -notin $command.Parameters.Keys) { Fail $file 'PARAMETERS' "-$name is described but $($command.Name) has no such parameter" }
        }
        Write-Command $writer $doc $command
    }
    $writer.WriteEndElement()
    $writer.WriteEndDocument()
}
finally {
    $writer.Dispose()
}
Move-Item -Force $temporary $OutputPath
Write-Verbose "Wrote help for $($commands.Count) cmdlets to '$OutputPath'."
