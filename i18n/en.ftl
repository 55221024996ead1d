# Messages of schede, in English.
#
# Each message has the same id in it.ftl; the tests check that both
# catalogues have the same ids and the same variables. Messages start in
# lower case and name what is wrong; hints say what to do.

## Diagnostics

label-error = error
label-warning = warning
label-field = field `{ $field }`
label-hint = hint
summary = { $errors ->
        [one] 1 error
       *[other] { $errors } errors
    }, { $warnings ->
        [one] 1 warning
       *[other] { $warnings } warnings
    }

## Input and output

io-failed = { $what } ({ $cause })
io-not-found = no such file or directory
io-permission-denied = permission denied
io-already-exists = file exists
io-not-a-directory = not a directory
io-is-a-directory = is a directory
io-directory-not-empty = directory not empty
io-read-only = read-only file system
io-storage-full = no space left on device
io-invalid-data = invalid data
io-address-in-use = address already in use
cannot-read = cannot read ({ $reason })
cannot-write-path = cannot write `{ $path }`
cannot-write-in = cannot write in `{ $path }`
cannot-create-path = cannot create `{ $path }`
cannot-remove = cannot remove ({ $reason })

## Plans and sheets

must-not-be-empty = must not be empty
plan-years-missing = must list the plan's years
plan-years-missing-hint = write `anni: [{ $year }, ...]`
plan-years-order = years must be consecutive and in order
plan-year-folder = the plan year is { $first } but the folder is `{ $year }`
plan-year-folder-hint = the first year of `anni` names the folder
plan-date-invalid = `{ $date }` is not a date
plan-date-invalid-hint = write it as `YYYY-MM-DD`
code-invalid = `{ $code }` is not a valid code
code-invalid-hint = use only letters, digits, `_` and `-`, like `2019_Z101`
code-file-mismatch = `{ $code }` does not match the file name `{ $file }`
code-file-mismatch-hint = rename the file to `{ $code }.md`
code-year-mismatch = `{ $code }` does not start with its year folder `{ $year }_`
code-year-mismatch-hint = move the sheet into the folder of its year, or fix the code
code-twice = code `{ $code }` is used twice
code-twice-hint = it is also the code of `{ $other }`
indicators-missing = must list at least one indicator
indicators-missing-hint = each indicator has `descrizione`, `tipo` and `valore_atteso`
description-empty = the description is empty
description-empty-hint = write the objective's detailed description after the closing `---`
description-too-deep = block quotes, lists, emphasis and links nested more than { $limit } levels deep
description-too-deep-hint = the PDF cannot lay out deeper nesting: flatten the text
description-table-too-wide = the table has { $columns } columns (the limit is { $limit })
description-table-too-wide-hint = split it into tables of fewer columns each, repeating the first column
target-years = years do not match the plan ({ $what })
target-years-missing = missing { $missing }
target-years-extra = not in the plan: { $extra }
target-years-both = missing { $missing }; not in the plan: { $extra }
target-years-hint = give one target for each year of `anni`: { $years }
empty-target = the target for { $year } is empty (indicator { $indicator })
empty-target-hint = write the target as displayed: `100%`, `5`, `entro giugno`
director-differs = Direzione `{ $direzione }` has director `{ $here }` here but `{ $there }` in `{ $other }`
service-head-differs = Servizio `{ $servizio }` has { $field } `{ $here }` here but `{ $there }` in `{ $other }`
front-matter-open = the sheet must start with a `---` line opening its fields
front-matter-close = the fields are not closed by a `---` line
unknown-field = unknown field `{ $field }`
did-you-mean = did you mean `{ $key }`?
the-fields-are = the fields are { $keys }
missing-field = missing required field `{ $field }`
missing-field-hint = add a line `{ $field }: ...` to the fields

## The YAML parser's messages (in English, its own words)

yaml-mapping-values-hint = a value holding `: ` must be quoted, like `titolo: "Nomine: istruttorie"`
yaml-expected-text-hint = write the value as text after the field's name
yaml-escape-hint = between double quotes `\` starts an escape: write the value between single quotes, like `'C:\Documenti'`, or double each `\`
yaml-invalid-type = invalid type: { $found }, expected { $expected }
yaml-duplicate-field = duplicate field `{ $field }`
yaml-duplicate-key = `{ $key }` is written twice in the same map (YAML would keep one value and drop the other)
yaml-duplicate-key-hint = keep one of the two
yaml-too-deep = brackets nested more than { $limit } deep
yaml-too-deep-hint = a sheet's fields nest three levels at most: `indicatori`, each indicator, its `valore_atteso`
field-too-long = too long: { $length } characters (the limit is { $limit })
yaml-mapping-values = mapping values are not allowed in this context{ $rest }
yaml-expected-key = did not find expected key{ $rest }
yaml-expected-node = did not find expected node content{ $rest }
yaml-expected-dash = did not find expected '-' indicator{ $rest }
yaml-bad-character = found character that cannot start any token{ $rest }
yaml-unexpected-end = found unexpected end of stream{ $rest }
yaml-expected-colon = could not find expected ':'{ $rest }
yaml-tab = found a tab character that violates indentation{ $rest }
yaml-escape = found unknown escape character{ $rest }
yaml-sequence-entries = block sequence entries are not allowed in this context{ $rest }
yaml-document-indicator = found unexpected document indicator{ $rest }
yaml-flow-sequence = did not find expected ',' or ']'{ $rest }
yaml-flow-mapping = did not find expected ',' or '{"}"}'{ $rest }
yaml-tag = found undefined tag handle{ $rest }
yaml-invalid-value = invalid value: { $found }, expected { $expected }
yaml-unknown-anchor = unknown anchor{ $rest }
yaml-while-plain = , while scanning a plain scalar
yaml-while-quoted = , while scanning a quoted scalar
yaml-while-block-scalar = , while scanning a block scalar
yaml-while-block-mapping = , while parsing a block mapping
yaml-while-block-collection = , while parsing a block collection
yaml-while-flow-sequence = , while parsing a flow sequence
yaml-while-flow-mapping = , while parsing a flow mapping
yaml-while-simple-key = , while scanning a simple key
yaml-while-node = , while parsing a node
yaml-while-anchor = , while scanning an anchor
yaml-while-tag = , while scanning a tag
yaml-kind-sequence = sequence
yaml-kind-a-sequence = a sequence
yaml-kind-map = map
yaml-kind-a-map = a map
yaml-kind-empty = unit value
yaml-kind-text = a string
yaml-kind-text-or-number = a text or a number
yaml-kind-i32 = i32
yaml-kind-string = string { $value }
yaml-kind-integer = integer { $value }
yaml-kind-float = floating point { $value }
yaml-kind-boolean = boolean { $value }
glyph-forbidden = character { $character } cannot be printed: PDF/A forbids it (private use or byte order mark)
glyph-forbidden-hint = remove it; a private use character shows only with the font that defined it
glyph-missing = character { $character } cannot be printed: no font of the PDF has it
glyph-missing-hint = remove it or write it another way; the fonts cover Latin, Greek, Cyrillic, Arabic, Hebrew, the Indian scripts, common Chinese, Japanese and Korean, symbols, arrows and emoji up to Unicode 9 (fonts/README.md)
glyph-cluster = characters { $characters } cannot be printed together: no font of the PDF has them all
glyph-cluster-hint = a combining mark must follow a letter of its own script; put a space before it or remove it

## Loading the sources

sheets-folder-not-found = sheets folder not found
sheets-folder-not-found-hint = run from the project folder, or point to the sheets with `--sheets`
folder-not-a-year = folder is not a plan year
folder-not-a-year-hint = sheets live in a folder named after the plan's first year, like `sheets/2019/`
sheet-outside-year = sheet is outside any year folder
sheet-outside-year-hint = move it into the folder of its plan year, like `sheets/2019/`
nested-folder = nested folders are not read
nested-folder-hint = keep every sheet directly in its year folder
file-too-large = file is too large (the limit is { $limit } bytes)
not-a-regular-file = not a regular file (a pipe, socket or device): it is not read
not-utf8 = file is not valid UTF-8
not-utf8-hint = save the file with UTF-8 encoding
plan-not-found = plan file not found
plan-not-found-hint = each year folder needs a `piano.yaml` with `ente`, `titolo` and `anni`

## The output folder

output-is-file = the output folder is a file
output-is-file-hint = move the file, or choose another output folder with `--output`
output-overlaps = the output folder { $relation ->
        [is] is
        [contains] contains
       *[inside] lies inside
    } the { $what } folder `{ $path }`
output-overlaps-hint = write the outputs to a folder of their own, like `--output output`
output-not-ours = a file that schede did not write is in the way
output-not-ours-hint = move it elsewhere, or choose another output folder with `--output`
output-link = a symbolic link (to `{ $target }`): schede never writes or removes files through a link, which could lead out of the output folder or into the sheets or templates
output-link-hint = remove the link (what it points to stays as it is), or choose another output folder with `--output`
manifest-bad-path = the manifest lists `{ $path }`, which is not a plain path inside the output folder
manifest-bad-path-hint = nothing was written or removed; the manifest was edited or damaged: delete it, and the next build starts anew (with nothing in the folder counted as schede's)
output-locked = another build is writing this output folder (it holds `{ $lock }`)
output-locked-hint = wait until it ends, then build again

## Build, check, fmt, new, import, roll

build-loaded = loaded { $plans ->
        [one] 1 plan
       *[other] { $plans } plans
    } and { $sheets ->
        [one] 1 sheet
       *[other] { $sheets } sheets
    }
build-compiled = compiled { $pdfs ->
        [one] 1 PDF
       *[other] { $pdfs } PDFs
    } ({ $pages ->
        [one] 1 page
       *[other] { $pages } pages
    }), { $fresh } up to date
build-year-files = made { $files ->
        [one] 1 year file
       *[other] { $files } year files
    } (volumes, indexes, open data)
build-wrote = wrote { $files ->
        [one] 1 file
       *[other] { $files } files
    } to { $output }{ $removed ->
        [0] {""}
        [one] , removed 1 file that the sources no longer produce
       *[other] , removed { $removed } files that the sources no longer produce
    }
build-built = built { $sheets ->
        [one] 1 sheet
       *[other] { $sheets } sheets
    } in { $seconds } s
build-timings = timings: sheets { $sheets } s on { $threads } threads ({ $beside } s of it beside Typst), serial { $serial } s, year files { $publish } s; outside Typst { $outside }% of the sheets' work
build-progress = {"{"}bar:40{"}"} {"{"}pos{"}"}/{"{"}len{"}"} sheets ({"{"}eta{"}"} left)
check-done = checked { $plans ->
        [one] 1 plan
       *[other] { $plans } plans
    } and { $sheets ->
        [one] 1 sheet
       *[other] { $sheets } sheets
    }
fmt-formatted-file = formatted { $path }
fmt-not-canonical = not in canonical form: { $changed } of { $total ->
        [one] 1 sheet
       *[other] { $total } sheets
    }
fmt-not-canonical-hint = run `schede fmt` to rewrite them
fmt-canonical = { $total ->
        [one] 1 sheet
       *[other] { $total } sheets
    } in canonical form
fmt-formatted = formatted { $changed } of { $total ->
        [one] 1 sheet
       *[other] { $total } sheets
    }
new-created = created { $path }
new-created-hint = fill in the fields and the description, then run `schede check`
import-wrote = { $dry ->
        [yes] would write
       *[no] wrote
    } { $path }
import-done = { $dry ->
        [yes] would import
       *[no] imported
    } { $sheets ->
        [one] 1 sheet
       *[other] { $sheets } sheets
    } and { $plans ->
        [one] 1 new plan
       *[other] { $plans } new plans
    } into { $folder }
import-nothing-written = nothing was written
roll-done = rolled { $sheets ->
        [one] 1 objective
       *[other] { $sheets } objectives
    } from { $from } to { $to }; { $to_fill ->
        [one] 1 target
       *[other] { $to_fill } targets
    } to fill
roll-done-hint = `schede check` lists them; `schede diff { $from } { $to }` shows the roll

## The command line's help (`cli-<command>` and `cli-<command>--<option>`)

cli-schede = Objective sheets (schede obiettivo) of a municipal management plan, from Markdown sources to accessible PDF and HTML.
cli--lang = The language of the messages, `it` or `en` (by default the locale's: LC_ALL, LC_MESSAGES, LANG, or SCHEDE_LANG)
cli-help-flag = Print help
cli-version-flag = Print version
cli-help = Print this message or the help of the given subcommand(s)
cli-build = Check every sheet, then write the PDF and HTML of each into the output folder
cli-build--sheets = The folder of the sheets: one `<year>/` folder per plan
cli-build--templates = The folder of the Tera templates
cli-build--deny_warnings = Treat warnings as errors
cli-build--output = Where to write the outputs
cli-build--force = Rebuild every output, even those whose sources did not change (files that schede did not write are never overwritten)
cli-build--jobs = How many sheets to compile at once (default: three per core)
cli-build--timings = Print where the time went
cli-serve = Build, serve the output on http://127.0.0.1:1111/ and rebuild on every change, reloading the pages open in the browser
cli-serve--sheets = { cli-build--sheets }
cli-serve--templates = { cli-build--templates }
cli-serve--output = Where to write the outputs (the same files as `schede build`)
cli-serve--port = The port to listen on; 0 takes any free port (the first line printed says which)
cli-serve--host = The address to listen on. Anything but loopback lets other machines read the drafts
cli-serve--open = Open the plans' page in the browser
cli-serve--timings = Print the build's own lines and where its time went, at every rebuild
cli-check = Check every sheet and the templates, writing nothing
cli-check--sheets = { cli-build--sheets }
cli-check--templates = { cli-build--templates }
cli-check--deny_warnings = { cli-build--deny_warnings }
cli-fmt = Rewrite sheets in canonical form, changing nothing they say or show
cli-fmt-long = Rewrite sheets in canonical form, changing nothing they say or show.

    Fields in the order of the printed sheet, consistent quoting, tidy blank lines and line ends, as described in the README under "Reviewing changes".
cli-fmt--check = Change nothing: list the sheets that are not in canonical form, and fail if any
cli-fmt--paths = Sheet files or folders of sheets
cli-diff = Show what changed in the plans between two versions of the sheets
cli-diff-long = Show what changed in the plans between two versions of the sheets.

    Per plan year: objectives added, removed and renamed, changed header fields, a word diff of changed descriptions, and indicators added, removed or with changed targets.
cli-diff--old = The old version: a git revision (`HEAD`, `main`, `HEAD~3:sheets/2019`) or a folder
cli-diff--new = The new version, the same way; by default the sheets folder as it is now
cli-diff--format = How to write the report
cli-diff--sheets = The folder of the sheets, also read at git revisions
cli-new = Create a sheet from the template, never overwriting one
cli-new-long = Create a sheet from the template, never overwriting one.

    Writes `<sheets>/<year>/<codice>.md` with every field present and explained.
cli-new--codice = The new objective's code, like `2019_Z102`
cli-new--like = Copy the header fields (Direzione, Servizio, their heads, classification, type) of this sheet
cli-new--sheets = The folder of the sheets
cli-import = Import sheets from official sheets' text, a spreadsheet or a plan's open data
cli-import--files = Official sheets' text (`.txt`), spreadsheets (`.xlsx`, `.ods`, two `.csv` files: objectives and indicators) or a plan's open data (`piano.json`)
cli-import--sheets = The sheets folder to write into
cli-import--dry_run = List what would be written, writing nothing
cli-import--force = Replace sheets that already exist
cli-import--ente = For a year folder without `piano.yaml`: the body adopting the plan
cli-import--titolo = For a year folder without `piano.yaml`: the plan's title
cli-import--anni = For a year folder without `piano.yaml`: the plan's years, `2019-2021` or `2019,2020,2021` (by default the years of the imported targets)
cli-import--map = A YAML file renaming spreadsheet headers to fields: `"Resp. Servizio": dirigente`
cli-roll = Start next year's plan from this year's
cli-roll--from = The plan year to start from, like `2019`
cli-roll--to = The new plan year, like `2020`
cli-roll--only = Roll only these objectives (codes, or their part after the year: `Z101`)
cli-roll--except = Leave out these objectives
cli-roll--sheets = The folder of the sheets

## clap's own words

clap-usage = Usage:
clap-options = Options
clap-arguments = Arguments
clap-commands = Commands
clap-options-placeholder = [OPTIONS]
clap-command-placeholder = <COMMAND>
clap-command-optional-placeholder = [COMMAND]
clap-default = default: { $value }
clap-possible-values = possible values: { $values }
clap-unknown-argument = unexpected argument `{ $arg }`
clap-unknown-command = unknown command `{ $command }`
clap-invalid-value = invalid value `{ $value }` for `{ $arg }`
clap-missing-argument = missing required argument `{ $arg }`
clap-missing-command = a command is required
clap-conflict = `{ $arg }` cannot be used with `{ $other }`
clap-more = `schede --help` lists the commands, `schede <command> --help` their options

## Import

import-sheet-problem = sheet `{ $code }`: { $message }
import-sheet-field-problem = sheet `{ $code }`, field `{ $field }`: { $message }

## schede new: the comments above each field of a new sheet

new-comment-codice = The objective's code: the plan year, `_`, then letters and digits; also the file name.
new-comment-titolo = The objective's title.
new-comment-direzione = The Direzione responsible for the objective.
new-comment-direttore = The Direzione's director.
new-comment-servizio = The Servizio responsible for the objective.
new-comment-dirigente = The Servizio's manager.
new-comment-classificazione = The classification, e.g. DIREZIONALE.
new-comment-tipologia = The type, e.g. SINTESI.
new-comment-indicatori = The indicators measuring the objective, at least one: repeat the block from `-` for each.
new-comment-indicatore = What is measured and how.
new-comment-tipo = The indicator's type, e.g. RISULTATO.
new-comment-valore-atteso = The target of each year of the plan, as displayed: 100%, 5, entro giugno.
new-comment-note = Optional remarks; remove the line if there are none.
new-comment-end = After the closing `---`: the detailed description of the objective, in Markdown.
new-code-invalid = not a valid code
new-code-invalid-hint = a code is the plan year, `_`, then letters and digits, like `2019_Z101`
new-plan-not-found-hint = create `{ $path }` with `ente`, `titolo` and `anni` first
new-like-not-found = sheet not found
new-like-not-found-hint = `--like` takes the code of an existing sheet
new-exists-hint = choose another code, or edit the sheet that is there
already-exists = already exists

## schede serve

serve-more = { $files ->
        [one] {" "}and 1 more file
       *[other] {" "}and { $files } more files
    }
serve-changed = changed { $path }{ $more }
serve-built = { $stage ->
        [sheets] sheets
       *[year] year files
    }: built in { $seconds } s ({ $compiled ->
        [-1] {""}
        [one] 1 PDF compiled,{" "}
       *[other] { $compiled } PDFs compiled,{" "}
    }{ $files ->
        [one] 1 file
       *[other] { $files } files
    } written, { $pages ->
        [one] 1 URL
       *[other] { $pages } URLs
    } changed)
serve-failed = { $stage ->
        [sheets] sheets
       *[year] year files
    }: failed in { $seconds } s; the pages show the last good build

## Making the outputs

artifact-panic = cannot be made: schede failed unexpectedly ({ $what })
artifact-panic-hint = this is a bug of schede or Typst: please report it with the source
artifact-failed = cannot be made ({ $reason })
worker-start = cannot start a worker thread ({ $reason })
worker-failed = a worker thread failed unexpectedly
source-date-epoch = `{ $value }` is not a number of seconds
open-data-failed = cannot make the open data ({ $reason })
template-not-found = template not found
templates-folder-not-found = templates folder not found
templates-folder-not-found-hint = run from the project folder, or point to the templates with `--templates`
publish-templates-hint = publication needs `volume.typ`, `index.html` and `year.html` in the templates folder
font-broken = embedded font { $index } cannot be loaded
font-broken-hint = the binary is damaged: build it again
typst-source-name = `{ $name }` is not a valid source name
typst-generated-at = in the generated `{ $path }` at line { $line }
typst-generated-from = generated from `{ $path }`

## Tera's messages about a template (in English, its own words)

tera-undefined-field = field `{ $name }` is not defined. Available fields: { $list }
tera-undefined-variable = variable `{ $name }` is not defined. Available variables: { $list }
tera-unexpected = found `{ $found }` but expected one of: { $list }

## schede fmt

fmt-cannot = cannot format ({ $reason })
fmt-cannot-hint = `schede check` says what is wrong
fmt-comments = cannot tell the comments from the values
fmt-comments-hint = write each comment on a line of its own, starting with `#`
fmt-description-kept = description kept as written
fmt-description-kept-hint = normalising its blank lines and line ends would change what it shows
fmt-bug = cannot format (the canonical form would read differently: this is a bug in schede)
not-found = not found

## The portal's settings in piano.yaml

portal-not-web = `{ $value }` is not a web address
portal-not-web-hint = write an address starting with `https://`
portal-not-web-or-mail-hint = write an address starting with `https://` or `mailto:`
portal-not-ipa = `{ $code }` is not an IPA code
portal-not-ipa-hint = the code of the ente in indicepa.gov.it, e.g. `c_d612`
portal-no-catalogue = no DCAT-AP_IT catalogue is made without { $missing ->
        [ipa] `codice_ipa`
        [url] `url`
       *[both] `codice_ipa` and `url`
    }
portal-no-catalogue-hint = add them under `catalogo`, or remove `catalogo` to publish without a catalogue
portal-no-contact-point = the catalogue's datasets have no contact point
portal-no-contact-point-hint = give the office's e-mail address as `contatti: mailto:...` under `sito`
portal-no-date = without `data` the catalogue dates the data 1 January { $year }
portal-no-date-hint = write the plan's date of adoption as `data: YYYY-MM-DD`

## schede diff

diff-no-changes = no changes
diff-plan-heading = Plan { $plan }
diff-plan = plan { $plan }
diff-plan-added = { $year } (added)
diff-plan-removed = { $year } (removed)
diff-added = added
diff-removed = removed
diff-renamed = renamed
diff-changed = changed
diff-indicator-added = indicator added: { $summary }
diff-indicator-removed = indicator removed: { $summary }
diff-indicator-changed = indicator changed: { $summary }
diff-none = (none)
diff-to-fill = (to fill)
diff-counts = objectives: { $added } added, { $removed } removed, { $renamed } renamed, { $changed } changed
diff-not-a-revision = `{ $arg }` is neither a folder nor a git revision
diff-absolute = `{ $path }` must be relative to read it from git
diff-sheets-not-found = sheets folder `{ $path }` not found
diff-no-sheets = `{ $path }` holds no sheets at revision `{ $label }`
cannot-read-path = cannot read `{ $path }`
git-cannot-run = cannot run `{ $command }`
git-cannot-write = cannot write to `git cat-file`
git-cannot-read = cannot read from `git cat-file`
git-failed = `git { $command }` failed
git-failed-why = `git { $command }` failed ({ $reason })
git-blob = cannot read blob `{ $id }` from git
git-blob-why = cannot read blob `{ $id }` from git ({ $header })
serve-overlay-title = The build failed: { $summary }. The pages show the last good build.
serve-overlay-close = Hide until the next build
serve-preview-of = Preview of { $code }
serve-preview = Preview
serve-page = Page
serve-plan = Plan { $year }
serve-all-sheets = All sheets
serve-page-of = The HTML page of { $code }
serve-pdf-of = The PDF of { $code }
serve-to-preview = Sheets to preview
serve-not-found = Not found
serve-not-found-text = No such file in the output folder. If a build is running, this page reloads when the file is made.
serve-all-plans = All plans
serve-cannot-watch = cannot watch the sources ({ $reason })
serve-cannot-watch-path = cannot watch `{ $path }` ({ $reason })
serve-serving = serving { $url }
serve-watching = watching `{ $sheets }` and `{ $templates }`; preview a sheet at { $url }__schede/; Ctrl-C stops
serve-no-browser = cannot open a browser ({ $reason })
serve-stopped = stopped
serve-cannot-listen = cannot listen on `{ $address }`
serve-cannot-listen-hint = choose another port with `--port`, or `--port 0` for any free one
serve-not-loopback = listening on `{ $host }`: anyone who can reach this machine can read the drafts
serve-cannot-watch-folder = cannot watch `{ $path }`
serve-cannot-watch-folder-hint = run from the project folder, or point to it with `{ $option }`
serve-stopping = stopping after this build (Ctrl-C again to stop now)
serve-ctrl-c = cannot handle Ctrl-C ({ $reason })

## schede roll

roll-not-years = `{ $from } { $to }` are not two years
roll-not-years-hint = write `schede roll 2019 2020`
roll-exists-hint = roll starts a new year's plan: it never writes into an existing one
roll-no-objective = no objective `{ $name }` in the plan
roll-no-objective-hint = `--only` and `--except` take codes like `2019_Z101` or `Z101`
import-text-expected-code = expected a sheet's code, like `2019_Z101`
import-text-expected-code-hint = each sheet starts with its code on a line of its own
import-text-no-sheet = no sheet found
import-text-no-sheet-hint = the text of an official sheet starts with its code, like `2019_Z101`, then its title
import-text-no-title = sheet `{ $code }`: the title is missing
import-text-header-cells = sheet `{ $code }`: a header row has { $cells } cells
import-text-header-cells-hint = header rows are label/value pairs, like `Direzione<tab>UFFICIO DEL SINDACO`
import-text-header-label = sheet `{ $code }`: unknown header label `{ $label }`
import-text-header-label-hint = the labels are Direzione, Direttore, Classificazione, Servizio, Dirigente and Tipologia
import-text-header-row = sheet `{ $code }`: the header row `{ $row }` is missing
import-text-header-row-hint = the two header rows follow the title, cells separated by tabs
import-text-header-missing = sheet `{ $code }`: the header has no `{ $label }`
import-text-wrong-label = sheet `{ $code }`: expected the label `{ $expected }`, found `{ $label }`
import-text-no-label = sheet `{ $code }`: expected the bold label `**{ $label }**`
import-text-no-label-hint = the description follows its label, after the header rows
import-text-no-table = sheet `{ $code }`: the INDICATORI table is missing
import-text-no-table-hint = after the description: `INDICATORI`, its column headers, one row per indicator
import-text-no-columns = sheet `{ $code }`: expected the column headers of the INDICATORI table
import-text-no-columns-hint = `Descrizione | Tipo | Valore Atteso | Valore Atteso 2020 | ... | Note`, separated by tabs
import-text-code-year = code `{ $code }` does not match its year: the INDICATORI table starts at { $year }
import-text-code-year-hint = a code starts with the plan year, the first year of the targets
import-text-row-cells = sheet `{ $code }`: an indicator row has { $cells } cells, the column headers { $width }
import-text-row-cells-hint = cells are separated by tabs; the note may be empty
import-text-no-rows = sheet `{ $code }`: the INDICATORI table has no rows
import-code-twice = code `{ $code }` is imported twice
import-code-twice-hint = it is also at { $other }
import-exists-hint = imported from { $source }; `--force` replaces it
import-anni-invalid = `--anni { $text }` is not a list of years
import-anni-invalid-hint = write `--anni 2019-2021` or `--anni 2019,2020,2021`
import-plan-missing-hint = create it with `ente`, `titolo` and `anni`, or give { $flags }
import-plan-from-hint = the plan comes from `--ente`, `--titolo` and `--anni`, or from the imported plan
import-too-large = file is too large ({ $size } bytes, the limit is { $limit })
import-unknown-file = cannot tell what this file holds
import-unknown-file-hint = import takes `.txt` (official sheets' text), `.xlsx`, `.ods`, `.csv` or `piano.json`
import-json-invalid = not a plan's open data ({ $reason })
import-json-invalid-hint = import takes the `piano.json` that `schede build` writes
import-json-not-a-year = objective `{ $code }`, indicator { $indicator }: `{ $year }` is not a year
import-cell-error = the cell holds an error ({ $error })
import-map-invalid = not a map of headers to fields
import-map-invalid-hint = write one line per header: `"Resp. Servizio": dirigente`
import-workbook = cannot read the workbook ({ $reason })
import-worksheet = cannot read the worksheet ({ $reason })
import-inflates = its part `{ $part }` inflates past { $limit } bytes: not read
import-inflates-hint = a workbook of a plan is far smaller; save it again from the spreadsheet, or export its tables as CSV
import-too-many-parts = the workbook has { $parts } parts (the limit is { $limit }): not read
import-too-many-cells = the filled cells span { $cells } cells (the limit is { $limit }): not read
import-too-many-cells-hint = a cell far from the table (such as `XFD1048576`) or a row repeated many times makes the span; delete what is beyond the table
import-hidden-sheet = the worksheet is hidden: not imported
import-hidden-sheet-hint = show it in the spreadsheet to import it
import-unclosed-quote = the quote opened here is never closed: the rest of the file would be one cell
import-unclosed-quote-hint = close the quote, or double it (`""`) inside a quoted cell
import-not-csv = not a CSV file ({ $reason })
import-windows-1252 = not UTF-8: read as Windows-1252, the encoding of Excel's CSV files in Italian
import-windows-1252-hint = check the accents and `€` of the sheets written; saving as "CSV UTF-8" avoids this
import-table-left-out = neither objectives nor indicators: left out
import-table-left-out-hint = objectives have a `Titolo` column, indicators a `Tipo` column
import-table-column-ignored = column `{ $header }` is not imported
import-table-column-ignored-hint = `--map` renames a header to a field, with a line `"{ $header }": dirigente`
import-table-objectives-column = the objectives have no `{ $field }` column
import-table-description-column-hint = add the detailed description; for our own open data, import `piano.json`
import-table-column-hint = name the column like the printed sheet, or rename it with `--map`
import-table-indicators-column = the indicators have no `{ $field }` column
import-table-no-target = the indicators have no `Valore Atteso` column
import-table-no-target-hint = one column per year (`Valore Atteso 2020`), or `Anno` and `Valore Atteso`
import-table-no-objective = no objective `{ $code }` in the table of objectives
import-table-no-objective-hint = each indicator's `Codice` is the code of its objective
import-table-not-a-year = `{ $year }` is not a year
import-table-second-target = objective `{ $code }`: a second target for { $year } of the same indicator
http-405 = method not allowed
http-400 = one Host header expected
serve-live-stopped = schede serve is not running: this page will update when it is back
serve-live-restarted = schede serve restarted: this page is up to date
http-403 = unexpected Host header
http-503 = stopping
tera-unknown = unknown { $kind } `{ $name }`
tera-unexpected-end = unexpected end of input

## The placeholders of the options' values in the help

cli-value-lang = LANG
cli-value-sheets = SHEETS
cli-value-templates = TEMPLATES
cli-value-output = OUTPUT
cli-value-jobs = JOBS
cli-value-port = PORT
cli-value-host = HOST
cli-value-old = OLD
cli-value-new = NEW
cli-value-format = FORMAT
cli-value-codice = CODICE
cli-value-like = CODICE
cli-value-only = CODICE
cli-value-except = CODICE
cli-value-files = FILES
cli-value-ente = ENTE
cli-value-titolo = TITOLO
cli-value-anni = ANNI
cli-value-map = MAP
cli-value-from = FROM
cli-value-to = TO
cli-value-paths = PATHS

## Results (monitoring)

result-threshold-invalid = `{ $value }` is not a percentage
result-date-invalid = `{ $date }` is not a date
result-date-hint = write monitoring dates as `YYYY-MM-DD`, like `2019-12-31`
result-date-outside = the date `{ $date }` is not in a year of the plan
result-date-outside-hint = the plan's years are { $years }
result-weight-invalid = the weight must be a number greater than zero
result-value-empty = the value reached at { $date } is empty (indicator { $indicator })
result-achievement-invalid = `{ $value }` is not a percentage
result-achievement-invalid-hint = write the achievement as a percentage, like `100%` or `87,5%`
result-achievement-without-value = an achievement at { $date } without a value reached at that date
result-not-comparable = the value `{ $value }` at { $date } cannot be compared with the target `{ $target }` (indicator { $indicator })
result-not-comparable-hint = give the achievement by hand: `raggiungimento: {"{"}{ $date }: 100%{"}"}`
result-deviation-unexplained = the objective reached { $achievement } at { $date }, and the deviation is not explained
result-deviation-unexplained-hint = write the reasons under `risultati`, `{ $date }`, `scostamento`
import-result-exists = a result at { $date } is already in the sources
import-result-exists-hint = run again with `--force` to replace it
import-result-column = the column `{ $column }` is missing
import-result-no-sheet = no sheet has the code `{ $code }`
import-result-indicator = not an indicator's number (the sheet has { $count })
import-result-date = not a date
monitor-no-plan = there is no plan { $year }
monitor-xlsx = cannot make the workbook ({ $reason })
monitor-exists = the file exists
monitor-exists-hint = run again with `--force` to replace it, or choose another folder with `--output`
monitor-wrote = wrote { $path }
cli-monitor = Write the workbook that collects the results of a monitoring date from the Direzioni
cli-monitor--year = The plan year, like `2019`
cli-monitor--at = The monitoring date, `YYYY-MM-DD` (e.g. `2019-06-30`, `2019-12-31`)
cli-monitor--per_direzione = Write one workbook per Direzione instead of one for the whole plan
cli-monitor--sheets = The folder of the sheets
cli-monitor--output = The folder to write the workbooks into
cli-monitor--force = Replace workbooks already there
cli-value-year = YEAR
cli-value-at = DATE
