# Messaggi di schede, in italiano.
#
# Ogni messaggio ha lo stesso identificativo in en.ftl; i test verificano
# che i due cataloghi abbiano gli stessi identificativi e le stesse
# variabili. Registro: quello di un ufficio pubblico, chiaro e formale.

## Diagnostica

label-error = errore
label-warning = avviso
label-field = campo `{ $field }`
label-hint = suggerimento
summary = { $errors ->
        [one] 1 errore
       *[other] { $errors } errori
    }, { $warnings ->
        [one] 1 avviso
       *[other] { $warnings } avvisi
    }

## Lettura e scrittura

io-failed = { $what } ({ $cause })
io-not-found = file o cartella inesistente
io-permission-denied = permesso negato
io-already-exists = esiste già
io-not-a-directory = non è una cartella
io-is-a-directory = è una cartella
io-directory-not-empty = la cartella non è vuota
io-read-only = file system in sola lettura
io-storage-full = spazio esaurito sul dispositivo
io-invalid-data = dati non validi
io-address-in-use = indirizzo già in uso
cannot-read = impossibile leggere ({ $reason })
cannot-write-path = impossibile scrivere `{ $path }`
cannot-write-in = impossibile scrivere in `{ $path }`
cannot-create-path = impossibile creare `{ $path }`
cannot-remove = impossibile rimuovere ({ $reason })

## Piani e schede

must-not-be-empty = non può essere vuoto
plan-years-missing = deve elencare gli anni del piano
plan-years-missing-hint = scrivere `anni: [{ $year }, ...]`
plan-years-order = gli anni devono essere consecutivi e in ordine
plan-year-folder = l'anno del piano è { $first } ma la cartella è `{ $year }`
plan-year-folder-hint = il primo anno di `anni` dà il nome alla cartella
plan-date-invalid = `{ $date }` non è una data
plan-date-invalid-hint = scrivere la data nella forma `AAAA-MM-GG`
code-invalid = `{ $code }` non è un codice valido
code-invalid-hint = usare solo lettere, cifre, `_` e `-`, come in `2019_Z101`
code-file-mismatch = `{ $code }` non corrisponde al nome del file `{ $file }`
code-file-mismatch-hint = rinominare il file in `{ $code }.md`
code-year-mismatch = `{ $code }` non inizia con l'anno della sua cartella `{ $year }_`
code-year-mismatch-hint = spostare la scheda nella cartella del suo anno, o correggere il codice
code-twice = il codice `{ $code }` è usato due volte
code-twice-hint = è anche il codice di `{ $other }`
indicators-missing = deve elencare almeno un indicatore
indicators-missing-hint = ogni indicatore ha `descrizione`, `tipo` e `valore_atteso`
description-empty = la descrizione è vuota
description-empty-hint = scrivere la descrizione dettagliata dell'obiettivo dopo la riga `---` di chiusura
description-too-deep = citazioni, elenchi, enfasi e collegamenti annidati per più di { $limit } livelli
description-too-deep-hint = il PDF non può impaginare annidamenti più profondi: semplificare il testo
description-table-too-wide = la tabella ha { $columns } colonne (il limite è di { $limit })
description-table-too-wide-hint = dividerla in tabelle di meno colonne ciascuna, ripetendo la prima colonna
target-years = gli anni non corrispondono a quelli del piano ({ $what })
target-years-missing = mancano: { $missing }
target-years-extra = non previsti dal piano: { $extra }
target-years-both = mancano: { $missing }; non previsti dal piano: { $extra }
target-years-hint = indicare un valore atteso per ciascun anno di `anni`: { $years }
empty-target = il valore atteso per il { $year } è vuoto (indicatore { $indicator })
empty-target-hint = scrivere il valore atteso come va stampato: `100%`, `5`, `entro giugno`
director-differs = la Direzione `{ $direzione }` ha come direttore `{ $here }` qui, ma `{ $there }` in `{ $other }`
service-head-differs = il Servizio `{ $servizio }` ha { $field ->
        [dirigente] come dirigente
       *[other] come Direzione
    } `{ $here }` qui, ma `{ $there }` in `{ $other }`
front-matter-open = la scheda deve iniziare con una riga `---` che apre i campi
front-matter-close = i campi non sono chiusi da una riga `---`
unknown-field = campo sconosciuto `{ $field }`
did-you-mean = forse si intendeva `{ $key }`?
the-fields-are = i campi ammessi sono { $keys }
missing-field = manca il campo obbligatorio `{ $field }`
missing-field-hint = aggiungere ai campi una riga `{ $field }: ...`

## Messaggi del lettore YAML

yaml-mapping-values-hint = un valore che contiene `: ` va scritto tra virgolette, come in `titolo: "Nomine: istruttorie"`
yaml-expected-text-hint = scrivere il valore come testo dopo il nome del campo
yaml-escape-hint = tra virgolette doppie `\` introduce una sequenza speciale: scrivere il valore tra apici, come `'C:\Documenti'`, o raddoppiare ogni `\`
yaml-invalid-type = tipo non valido: { $found }, atteso { $expected }
yaml-duplicate-field = campo ripetuto `{ $field }`
yaml-duplicate-key = `{ $key }` è scritto due volte nella stessa mappa (YAML terrebbe un valore e scarterebbe l'altro)
yaml-duplicate-key-hint = tenere uno dei due
yaml-too-deep = parentesi annidate per più di { $limit } livelli
yaml-too-deep-hint = i campi di una scheda si annidano al più per tre livelli: `indicatori`, ogni indicatore, il suo `valore_atteso`
field-too-long = troppo lungo: { $length } caratteri (il limite è { $limit })
yaml-mapping-values = qui non è ammessa una coppia chiave-valore{ $rest }
yaml-expected-key = manca la chiave attesa{ $rest }
yaml-expected-node = manca il contenuto atteso{ $rest }
yaml-expected-dash = manca il trattino `-` atteso{ $rest }
yaml-bad-character = carattere che non può iniziare un elemento{ $rest }
yaml-unexpected-end = fine del testo inattesa{ $rest }
yaml-expected-colon = manca il `:` atteso{ $rest }
yaml-tab = un carattere di tabulazione altera il rientro{ $rest }
yaml-escape = sequenza con barra rovesciata sconosciuta{ $rest }
yaml-sequence-entries = qui non sono ammessi elementi di elenco{ $rest }
yaml-document-indicator = indicatore di documento inatteso{ $rest }
yaml-flow-sequence = manca la `,` o la `]` attesa{ $rest }
yaml-flow-mapping = manca la `,` o la `{"}"}` attesa{ $rest }
yaml-tag = etichetta non definita{ $rest }
yaml-invalid-value = valore non valido: { $found }, atteso { $expected }
yaml-unknown-anchor = riferimento `*` sconosciuto: nessun `&` con quel nome lo precede{ $rest }
yaml-while-plain = , nella lettura di un valore senza virgolette
yaml-while-quoted = , nella lettura di un valore tra virgolette
yaml-while-block-scalar = , nella lettura di un testo su più righe
yaml-while-block-mapping = , nella lettura di un elenco di campi
yaml-while-block-collection = , nella lettura di un elenco
yaml-while-flow-sequence = , nella lettura di una lista tra parentesi quadre
yaml-while-flow-mapping = , nella lettura di campi tra parentesi graffe
yaml-while-simple-key = , nella lettura del nome di un campo
yaml-while-node = , nella lettura di un valore
yaml-while-anchor = , nella lettura di un riferimento
yaml-while-tag = , nella lettura di un'etichetta
yaml-kind-sequence = una lista
yaml-kind-a-sequence = una lista
yaml-kind-map = una mappa di campi
yaml-kind-a-map = una mappa di campi
yaml-kind-empty = un valore vuoto
yaml-kind-text = un testo
yaml-kind-text-or-number = un testo o un numero
yaml-kind-i32 = un numero intero
yaml-kind-string = il testo { $value }
yaml-kind-integer = il numero { $value }
yaml-kind-float = il numero { $value }
yaml-kind-boolean = il valore logico { $value }
glyph-forbidden = il carattere { $character } non può essere stampato: PDF/A lo vieta (uso privato o indicatore dell'ordine dei byte)
glyph-forbidden-hint = eliminarlo; un carattere a uso privato si vede solo con il carattere tipografico che lo definisce
glyph-missing = il carattere { $character } non può essere stampato: nessun font del PDF lo contiene
glyph-missing-hint = eliminarlo o scriverlo in altro modo; i font coprono gli alfabeti latino, greco, cirillico, arabo ed ebraico, le scritture indiane, i caratteri più comuni di cinese, giapponese e coreano, simboli, frecce ed emoji fino a Unicode 9 (fonts/README.md)
glyph-cluster = i caratteri { $characters } non possono essere stampati insieme: nessun font del PDF li contiene tutti
glyph-cluster-hint = un segno diacritico combinante deve seguire una lettera della stessa scrittura; inserire uno spazio prima del segno o eliminarlo

## Lettura delle fonti

sheets-folder-not-found = cartella delle schede non trovata
sheets-folder-not-found-hint = eseguire il comando dalla cartella del progetto, o indicare le schede con `--sheets`
folder-not-a-year = la cartella non è un anno di piano
folder-not-a-year-hint = le schede stanno in una cartella che porta il primo anno del piano, come `sheets/2019/`
sheet-outside-year = la scheda non è nella cartella di un anno
sheet-outside-year-hint = spostarla nella cartella dell'anno del suo piano, come `sheets/2019/`
nested-folder = le sottocartelle non vengono lette
nested-folder-hint = tenere ogni scheda direttamente nella cartella del suo anno
file-too-large = il file è troppo grande (il limite è di { $limit } byte)
not-a-regular-file = non è un file regolare (una pipe, un socket o un dispositivo): non viene letto
not-utf8 = il file non è in codifica UTF-8 valida
not-utf8-hint = salvare il file con la codifica UTF-8
plan-not-found = file del piano non trovato
plan-not-found-hint = ogni cartella di anno deve contenere un `piano.yaml` con `ente`, `titolo` e `anni`

## La cartella di destinazione

output-is-file = la cartella di destinazione è un file
output-is-file-hint = spostare il file, o scegliere un'altra cartella di destinazione con `--output`
output-overlaps = la cartella di destinazione { $relation ->
        [is] coincide con
        [contains] contiene
       *[inside] si trova dentro
    } la cartella { $what ->
        [sheets] delle schede
       *[templates] dei modelli
    } `{ $path }`
output-overlaps-hint = scrivere i risultati in una cartella a sé, come `--output output`
output-not-ours = un file non scritto da schede occupa il posto di un risultato
output-not-ours-hint = spostarlo altrove, o scegliere un'altra cartella di destinazione con `--output`
output-link = un collegamento simbolico (a `{ $target }`): schede non scrive né rimuove mai file attraverso un collegamento, che potrebbe portare fuori dalla cartella di destinazione o dentro le schede o i modelli
output-link-hint = rimuovere il collegamento (ciò a cui punta resta com'è), o scegliere un'altra cartella di destinazione con `--output`
manifest-bad-path = il manifesto elenca `{ $path }`, che non è un percorso semplice dentro la cartella di destinazione
manifest-bad-path-hint = nulla è stato scritto o rimosso; il manifesto è stato modificato o danneggiato: eliminarlo, e la prossima compilazione riparte da capo (senza considerare di schede nessun file della cartella)
output-locked = un'altra compilazione sta scrivendo in questa cartella di destinazione (tiene `{ $lock }`)
output-locked-hint = attendere che finisca, poi compilare di nuovo

## Build, check, fmt, new, import, roll

build-loaded = piani caricati: { $plans }; schede caricate: { $sheets }
build-compiled = PDF composti: { $pdfs } ({ $pages ->
        [one] 1 pagina
       *[other] { $pages } pagine
    }); già aggiornati: { $fresh }
build-year-files = file annuali prodotti: { $files } (volumi, indici, dati aperti)
build-wrote = file scritti in { $output }: { $files }{ $removed ->
        [0] {""}
       *[other] ; rimossi { $removed } file che le fonti non producono più
    }
build-built = { $sheets ->
        [one] 1 scheda prodotta
       *[other] { $sheets } schede prodotte
    } in { $seconds } s
build-timings = tempi: schede { $sheets } s su { $threads } flussi paralleli ({ $beside } s fuori da Typst), fasi seriali { $serial } s, file annuali { $publish } s; fuori da Typst il { $outside }% del lavoro sulle schede
build-progress = {"{"}bar:40{"}"} {"{"}pos{"}"}/{"{"}len{"}"} schede ({"{"}eta{"}"} rimanenti)
check-done = piani verificati: { $plans }; schede verificate: { $sheets }
fmt-formatted-file = riscritto in forma canonica: { $path }
fmt-not-canonical = non in forma canonica: { $changed } su { $total ->
        [one] 1 scheda
       *[other] { $total } schede
    }
fmt-not-canonical-hint = eseguire `schede fmt` per riscriverle
fmt-canonical = { $total ->
        [one] 1 scheda in forma canonica
       *[other] { $total } schede in forma canonica
    }
fmt-formatted = riscritte in forma canonica: { $changed } su { $total ->
        [one] 1 scheda
       *[other] { $total } schede
    }
new-created = creato { $path }
new-created-hint = compilare i campi e la descrizione, poi eseguire `schede check`
import-wrote = { $dry ->
        [yes] verrebbe scritto
       *[no] scritto
    } { $path }
import-done = { $dry ->
        [yes] importazione di prova in { $folder }
       *[no] importazione in { $folder }
    }: { $sheets ->
        [one] 1 scheda
       *[other] { $sheets } schede
    }, { $plans ->
        [one] 1 nuovo piano
       *[other] { $plans } nuovi piani
    }
import-nothing-written = non è stato scritto nulla
roll-done = obiettivi riportati da { $from } a { $to }: { $sheets }; valori attesi da compilare: { $to_fill }
roll-done-hint = `schede check` li elenca; `schede diff { $from } { $to }` mostra il passaggio d'anno

## L'aiuto della riga di comando (`cli-<comando>` e `cli-<comando>--<opzione>`)

cli-schede = Schede obiettivo del Piano esecutivo di gestione di un ente locale, dalle fonti in Markdown a PDF e HTML accessibili.
cli--lang = La lingua dei messaggi, `it` o `en` (in mancanza, quella dell'ambiente: LC_ALL, LC_MESSAGES, LANG, o SCHEDE_LANG)
cli-help-flag = Mostra questo aiuto
cli-version-flag = Mostra la versione
cli-help = Mostra questo aiuto o quello dei comandi indicati
cli-build = Verifica ogni scheda, poi ne scrive il PDF e l'HTML nella cartella di destinazione
cli-build--sheets = La cartella delle schede: una cartella `<anno>/` per ogni piano
cli-build--templates = La cartella dei modelli Tera
cli-build--deny_warnings = Tratta gli avvisi come errori
cli-build--output = La cartella in cui scrivere i risultati
cli-build--force = Rigenera ogni risultato, anche se le sue fonti non sono cambiate (i file non scritti da schede non vengono mai sovrascritti)
cli-build--jobs = Quante schede comporre contemporaneamente (in mancanza, tre per processore)
cli-build--timings = Mostra come è stato impiegato il tempo
cli-serve = Produce le schede, le pubblica su http://127.0.0.1:1111/ e le rigenera a ogni modifica, aggiornando le pagine aperte nel browser
cli-serve--sheets = { cli-build--sheets }
cli-serve--templates = { cli-build--templates }
cli-serve--output = La cartella in cui scrivere i risultati (gli stessi file di `schede build`)
cli-serve--port = La porta su cui ascoltare; 0 sceglie una porta libera (la prima riga stampata dice quale)
cli-serve--host = L'indirizzo su cui ascoltare. Un indirizzo diverso da quello locale consente ad altri computer di leggere le bozze
cli-serve--open = Apre la pagina dei piani nel browser
cli-serve--timings = Mostra a ogni rigenerazione le righe della produzione e come è stato impiegato il tempo
cli-check = Verifica ogni scheda e i modelli, senza scrivere nulla
cli-check--sheets = { cli-build--sheets }
cli-check--templates = { cli-build--templates }
cli-check--deny_warnings = { cli-build--deny_warnings }
cli-fmt = Riscrive le schede in forma canonica, senza cambiare nulla di ciò che dicono o mostrano
cli-fmt-long = Riscrive le schede in forma canonica, senza cambiare nulla di ciò che dicono o mostrano.

    Campi nell'ordine della scheda stampata, virgolette coerenti, righe vuote e fine riga in ordine, come descritto nel README alla voce "Reviewing changes".
cli-fmt--check = Non cambia nulla: elenca le schede che non sono in forma canonica, e termina con errore se ce ne sono
cli-fmt--paths = File di schede o cartelle di schede
cli-diff = Mostra che cosa è cambiato nei piani tra due versioni delle schede
cli-diff-long = Mostra che cosa è cambiato nei piani tra due versioni delle schede.

    Per ogni anno di piano: obiettivi aggiunti, eliminati e rinominati, campi dell'intestazione modificati, le parole cambiate nelle descrizioni, e indicatori aggiunti, eliminati o con valori attesi diversi.
cli-diff--old = La versione precedente: una revisione git (`HEAD`, `main`, `HEAD~3:sheets/2019`) o una cartella
cli-diff--new = La versione nuova, allo stesso modo; in mancanza, la cartella delle schede com'è ora
cli-diff--format = Il formato del resoconto
cli-diff--sheets = La cartella delle schede, letta anche nelle revisioni git
cli-new = Crea una scheda dal modello, senza mai sovrascriverne una esistente
cli-new-long = Crea una scheda dal modello, senza mai sovrascriverne una esistente.

    Scrive `<sheets>/<anno>/<codice>.md` con tutti i campi presenti e spiegati.
cli-new--codice = Il codice del nuovo obiettivo, come `2019_Z102`
cli-new--like = Copia da questa scheda i campi dell'intestazione (Direzione, Servizio, i loro responsabili, classificazione, tipologia)
cli-new--sheets = La cartella delle schede
cli-import = Importa schede dal testo delle schede ufficiali, da un foglio di calcolo o dai dati aperti di un piano
cli-import--files = Testo delle schede ufficiali (`.txt`), fogli di calcolo (`.xlsx`, `.ods`, due file `.csv`: obiettivi e indicatori) o dati aperti di un piano (`piano.json`)
cli-import--sheets = La cartella delle schede in cui scrivere
cli-import--dry_run = Elenca che cosa verrebbe scritto, senza scrivere nulla
cli-import--force = Sostituisce le schede già esistenti
cli-import--ente = Per una cartella di anno senza `piano.yaml`: l'ente che adotta il piano
cli-import--titolo = Per una cartella di anno senza `piano.yaml`: il titolo del piano
cli-import--anni = Per una cartella di anno senza `piano.yaml`: gli anni del piano, `2019-2021` o `2019,2020,2021` (in mancanza, gli anni dei valori attesi importati)
cli-import--map = Un file YAML che associa le intestazioni delle colonne ai campi: `"Resp. Servizio": dirigente`
cli-roll = Avvia il piano dell'anno successivo a partire da quello dell'anno in corso
cli-roll--from = L'anno di piano da cui partire, come `2019`
cli-roll--to = Il nuovo anno di piano, come `2020`
cli-roll--only = Riporta solo questi obiettivi (codici, o la loro parte dopo l'anno: `Z101`)
cli-roll--except = Esclude questi obiettivi
cli-roll--sheets = La cartella delle schede

## Le parole di clap

clap-usage = Uso:
clap-options = Opzioni
clap-arguments = Argomenti
clap-commands = Comandi
clap-options-placeholder = [OPZIONI]
clap-command-placeholder = <COMANDO>
clap-command-optional-placeholder = [COMANDO]
clap-default = predefinito: { $value }
clap-possible-values = valori ammessi: { $values }
clap-unknown-argument = argomento inatteso `{ $arg }`
clap-unknown-command = comando sconosciuto `{ $command }`
clap-invalid-value = valore `{ $value }` non valido per `{ $arg }`
clap-missing-argument = manca l'argomento obbligatorio `{ $arg }`
clap-missing-command = occorre indicare un comando
clap-conflict = `{ $arg }` non può essere usato insieme a `{ $other }`
clap-more = `schede --help` elenca i comandi, `schede <comando> --help` le loro opzioni

## Importazione

import-sheet-problem = scheda `{ $code }`: { $message }
import-sheet-field-problem = scheda `{ $code }`, campo `{ $field }`: { $message }

## schede new: i commenti sopra ogni campo di una nuova scheda

new-comment-codice = Il codice dell'obiettivo: l'anno del piano, `_`, poi lettere e cifre; è anche il nome del file.
new-comment-titolo = Il titolo dell'obiettivo.
new-comment-direzione = La Direzione responsabile dell'obiettivo.
new-comment-direttore = Il direttore della Direzione.
new-comment-servizio = Il Servizio responsabile dell'obiettivo.
new-comment-dirigente = Il dirigente del Servizio.
new-comment-classificazione = La classificazione, ad esempio DIREZIONALE.
new-comment-tipologia = La tipologia, ad esempio SINTESI.
new-comment-indicatori = Gli indicatori che misurano l'obiettivo, almeno uno: ripetere il blocco dal `-` per ciascuno.
new-comment-indicatore = Che cosa si misura e come.
new-comment-tipo = Il tipo dell'indicatore, ad esempio RISULTATO.
new-comment-valore-atteso = Il valore atteso per ogni anno del piano, come va stampato: 100%, 5, entro giugno.
new-comment-note = Note facoltative; eliminare la riga se non ce ne sono.
new-comment-end = Dopo la riga `---` di chiusura: la descrizione dettagliata dell'obiettivo, in Markdown.
new-code-invalid = codice non valido
new-code-invalid-hint = un codice è formato dall'anno del piano, `_`, poi lettere e cifre, come `2019_Z101`
new-plan-not-found-hint = creare prima `{ $path }` con `ente`, `titolo` e `anni`
new-like-not-found = scheda non trovata
new-like-not-found-hint = `--like` richiede il codice di una scheda esistente
new-exists-hint = scegliere un altro codice, o modificare la scheda esistente
already-exists = esiste già

## schede serve

serve-more = { $files ->
        [one] {" "}e un altro file
       *[other] {" "}e altri { $files } file
    }
serve-changed = modificato { $path }{ $more }
serve-built = { $stage ->
        [sheets] schede
       *[year] file annuali
    }: prodotti in { $seconds } s ({ $compiled ->
        [-1] {""}
       *[other] PDF composti: { $compiled },{" "}
    }file scritti: { $files }, indirizzi cambiati: { $pages })
serve-failed = { $stage ->
        [sheets] schede
       *[year] file annuali
    }: errore dopo { $seconds } s; le pagine mostrano l'ultima produzione riuscita

## Produzione dei risultati

artifact-panic = non può essere prodotto: schede si è interrotto in modo inatteso ({ $what })
artifact-panic-hint = è un difetto di schede o di Typst: segnalarlo allegando la fonte
artifact-failed = non può essere prodotto ({ $reason })
worker-start = impossibile avviare un flusso di lavoro parallelo ({ $reason })
worker-failed = un flusso di lavoro parallelo si è interrotto in modo inatteso
source-date-epoch = `{ $value }` non è un numero di secondi
open-data-failed = impossibile produrre i dati aperti ({ $reason })
template-not-found = modello non trovato
templates-folder-not-found = cartella dei modelli non trovata
templates-folder-not-found-hint = eseguire il comando dalla cartella del progetto, o indicare i modelli con `--templates`
publish-templates-hint = la pubblicazione richiede `volume.typ`, `index.html` e `year.html` nella cartella dei modelli
font-broken = il font incorporato { $index } non può essere caricato
font-broken-hint = il programma è danneggiato: ricompilarlo
typst-source-name = `{ $name }` non è un nome di sorgente valido
typst-generated-at = nel file generato `{ $path }` alla riga { $line }
typst-generated-from = generato da `{ $path }`

## Messaggi di Tera su un modello

tera-undefined-field = il campo `{ $name }` non è definito. Campi disponibili: { $list }
tera-undefined-variable = la variabile `{ $name }` non è definita. Variabili disponibili: { $list }
tera-unexpected = trovato `{ $found }`, ma era atteso uno di questi elementi: { $list }

## schede fmt

fmt-cannot = impossibile formattare ({ $reason })
fmt-cannot-hint = `schede check` indica che cosa non va
fmt-comments = impossibile distinguere i commenti dai valori
fmt-comments-hint = scrivere ogni commento su una riga a sé, che inizi con `#`
fmt-description-kept = descrizione lasciata com'è
fmt-description-kept-hint = riordinarne le righe vuote e i fine riga cambierebbe ciò che mostra
fmt-bug = impossibile formattare (la forma canonica si leggerebbe diversamente: è un difetto di schede)
not-found = non trovato

## Le impostazioni del portale in piano.yaml

portal-not-web = `{ $value }` non è un indirizzo web
portal-not-web-hint = scrivere un indirizzo che inizi con `https://`
portal-not-web-or-mail-hint = scrivere un indirizzo che inizi con `https://` o `mailto:`
portal-not-ipa = `{ $code }` non è un codice IPA
portal-not-ipa-hint = il codice dell'ente nell'Indice dei domicili digitali della PA (indicepa.gov.it), ad esempio `c_d612`
portal-no-catalogue = senza { $missing ->
        [ipa] `codice_ipa`
        [url] `url`
       *[both] `codice_ipa` e `url`
    } non viene prodotto il catalogo DCAT-AP_IT
portal-no-catalogue-hint = aggiungerli sotto `catalogo`, o eliminare `catalogo` per pubblicare senza catalogo
portal-no-contact-point = i dataset del catalogo non hanno un punto di contatto
portal-no-contact-point-hint = indicare l'indirizzo e-mail dell'ufficio come `contatti: mailto:...` sotto `sito`
portal-no-date = senza `data` il catalogo indica come data dei dati il 1° gennaio { $year }
portal-no-date-hint = scrivere la data di adozione del piano come `data: AAAA-MM-GG`

## schede diff

diff-no-changes = nessuna modifica
diff-plan-heading = Piano { $plan }
diff-plan = piano { $plan }
diff-plan-added = { $year } (aggiunto)
diff-plan-removed = { $year } (eliminato)
diff-added = aggiunto
diff-removed = eliminato
diff-renamed = rinominato
diff-changed = modificato
diff-indicator-added = indicatore aggiunto: { $summary }
diff-indicator-removed = indicatore eliminato: { $summary }
diff-indicator-changed = indicatore modificato: { $summary }
diff-none = (nessuno)
diff-to-fill = (da compilare)
diff-counts = obiettivi: { $added } aggiunti, { $removed } eliminati, { $renamed } rinominati, { $changed } modificati
diff-not-a-revision = `{ $arg }` non è né una cartella né una revisione git
diff-absolute = `{ $path }` deve essere un percorso relativo per leggerlo da git
diff-sheets-not-found = cartella delle schede `{ $path }` non trovata
diff-no-sheets = `{ $path }` non contiene schede nella revisione `{ $label }`
cannot-read-path = impossibile leggere `{ $path }`
git-cannot-run = impossibile eseguire `{ $command }`
git-cannot-write = impossibile scrivere verso `git cat-file`
git-cannot-read = impossibile leggere da `git cat-file`
git-failed = `git { $command }` non è riuscito
git-failed-why = `git { $command }` non è riuscito ({ $reason })
git-blob = impossibile leggere da git il contenuto `{ $id }`
git-blob-why = impossibile leggere da git il contenuto `{ $id }` ({ $header })
serve-overlay-title = La produzione non è riuscita: { $summary }. Le pagine mostrano l'ultima produzione riuscita.
serve-overlay-close = Nascondi fino alla prossima produzione
serve-preview-of = Anteprima di { $code }
serve-preview = Anteprima
serve-page = Pagina
serve-plan = Piano { $year }
serve-all-sheets = Tutte le schede
serve-page-of = La pagina HTML di { $code }
serve-pdf-of = Il PDF di { $code }
serve-to-preview = Schede in anteprima
serve-not-found = Pagina non trovata
serve-not-found-text = Il file non esiste nella cartella di destinazione. Se è in corso una produzione, la pagina si aggiorna quando il file viene creato.
serve-all-plans = Tutti i piani
serve-cannot-watch = impossibile seguire le modifiche delle fonti ({ $reason })
serve-cannot-watch-path = impossibile seguire le modifiche di `{ $path }` ({ $reason })
serve-serving = pubblicazione su { $url }
serve-watching = in ascolto delle modifiche di `{ $sheets }` e `{ $templates }`; anteprima delle schede su { $url }__schede/; Ctrl-C per terminare
serve-no-browser = impossibile aprire il browser ({ $reason })
serve-stopped = terminato
serve-cannot-listen = impossibile mettersi in ascolto su `{ $address }`
serve-cannot-listen-hint = scegliere un'altra porta con `--port`, o `--port 0` per una porta libera qualsiasi
serve-not-loopback = in ascolto su `{ $host }`: chiunque raggiunga questo computer può leggere le bozze
serve-cannot-watch-folder = impossibile seguire le modifiche di `{ $path }`
serve-cannot-watch-folder-hint = eseguire il comando dalla cartella del progetto, o indicarla con `{ $option }`
serve-stopping = arresto al termine di questa produzione (Ctrl-C di nuovo per terminare subito)
serve-ctrl-c = impossibile gestire Ctrl-C ({ $reason })

## schede roll

roll-not-years = `{ $from } { $to }` non sono due anni
roll-not-years-hint = scrivere `schede roll 2019 2020`
roll-exists-hint = roll avvia il piano di un nuovo anno: non scrive mai in un piano esistente
roll-no-objective = nessun obiettivo `{ $name }` nel piano
roll-no-objective-hint = `--only` e `--except` accettano codici come `2019_Z101` o `Z101`
import-text-expected-code = atteso il codice di una scheda, come `2019_Z101`
import-text-expected-code-hint = ogni scheda inizia con il suo codice su una riga a sé
import-text-no-sheet = nessuna scheda trovata
import-text-no-sheet-hint = il testo di una scheda ufficiale inizia con il suo codice, come `2019_Z101`, seguito dal titolo
import-text-no-title = scheda `{ $code }`: manca il titolo
import-text-header-cells = scheda `{ $code }`: una riga dell'intestazione ha { $cells } celle
import-text-header-cells-hint = le righe dell'intestazione sono coppie etichetta/valore, come `Direzione<tab>UFFICIO DEL SINDACO`
import-text-header-label = scheda `{ $code }`: etichetta dell'intestazione sconosciuta `{ $label }`
import-text-header-label-hint = le etichette sono Direzione, Direttore, Classificazione, Servizio, Dirigente e Tipologia
import-text-header-row = scheda `{ $code }`: manca la riga dell'intestazione `{ $row }`
import-text-header-row-hint = le due righe dell'intestazione seguono il titolo, con le celle separate da tabulazioni
import-text-header-missing = scheda `{ $code }`: l'intestazione non ha `{ $label }`
import-text-wrong-label = scheda `{ $code }`: attesa l'etichetta `{ $expected }`, trovata `{ $label }`
import-text-no-label = scheda `{ $code }`: attesa l'etichetta in grassetto `**{ $label }**`
import-text-no-label-hint = la descrizione segue la sua etichetta, dopo le righe dell'intestazione
import-text-no-table = scheda `{ $code }`: manca la tabella INDICATORI
import-text-no-table-hint = dopo la descrizione: `INDICATORI`, le intestazioni delle colonne, una riga per indicatore
import-text-no-columns = scheda `{ $code }`: attese le intestazioni delle colonne della tabella INDICATORI
import-text-no-columns-hint = `Descrizione | Tipo | Valore Atteso | Valore Atteso 2020 | ... | Note`, separate da tabulazioni
import-text-code-year = il codice `{ $code }` non corrisponde al suo anno: la tabella INDICATORI inizia dal { $year }
import-text-code-year-hint = un codice inizia con l'anno del piano, il primo anno dei valori attesi
import-text-row-cells = scheda `{ $code }`: una riga di indicatore ha { $cells } celle, le intestazioni delle colonne { $width }
import-text-row-cells-hint = le celle sono separate da tabulazioni; la nota può essere vuota
import-text-no-rows = scheda `{ $code }`: la tabella INDICATORI non ha righe
import-code-twice = il codice `{ $code }` è importato due volte
import-code-twice-hint = si trova anche in { $other }
import-exists-hint = importata da { $source }; `--force` la sostituisce
import-anni-invalid = `--anni { $text }` non è un elenco di anni
import-anni-invalid-hint = scrivere `--anni 2019-2021` o `--anni 2019,2020,2021`
import-plan-missing-hint = crearlo con `ente`, `titolo` e `anni`, o indicare { $flags }
import-plan-from-hint = il piano viene da `--ente`, `--titolo` e `--anni`, o dal piano importato
import-too-large = il file è troppo grande ({ $size } byte, il limite è di { $limit })
import-unknown-file = impossibile capire che cosa contiene questo file
import-unknown-file-hint = import accetta `.txt` (testo delle schede ufficiali), `.xlsx`, `.ods`, `.csv` o `piano.json`
import-json-invalid = non sono i dati aperti di un piano ({ $reason })
import-json-invalid-hint = import accetta il `piano.json` scritto da `schede build`
import-json-not-a-year = obiettivo `{ $code }`, indicatore { $indicator }: `{ $year }` non è un anno
import-cell-error = la cella contiene un errore ({ $error })
import-map-invalid = non è un elenco di intestazioni e campi
import-map-invalid-hint = scrivere una riga per intestazione: `"Resp. Servizio": dirigente`
import-workbook = impossibile leggere la cartella di lavoro ({ $reason })
import-worksheet = impossibile leggere il foglio di lavoro ({ $reason })
import-inflates = la sua parte `{ $part }` si espande oltre { $limit } byte: non viene letta
import-inflates-hint = la cartella di lavoro di un piano è molto più piccola; salvarla di nuovo dal foglio di calcolo, o esportarne le tabelle in CSV
import-too-many-parts = la cartella di lavoro ha { $parts } parti (il limite è { $limit }): non viene letta
import-too-many-cells = le celle piene occupano { $cells } celle (il limite è { $limit }): non viene letto
import-too-many-cells-hint = una cella lontana dalla tabella (come `XFD1048576`) o una riga ripetuta molte volte allarga l'area; eliminare ciò che sta oltre la tabella
import-hidden-sheet = il foglio di lavoro è nascosto: non viene importato
import-hidden-sheet-hint = mostrarlo nel foglio di calcolo per importarlo
import-unclosed-quote = le virgolette aperte qui non vengono mai chiuse: il resto del file sarebbe una sola cella
import-unclosed-quote-hint = chiudere le virgolette, o raddoppiarle (`""`) dentro una cella tra virgolette
import-not-csv = non è un file CSV ({ $reason })
import-windows-1252 = non è UTF-8: letto come Windows-1252, la codifica dei file CSV di Excel in italiano
import-windows-1252-hint = controllare accenti e `€` delle schede scritte; salvando come "CSV UTF-8" non accade
import-table-left-out = né obiettivi né indicatori: tralasciato
import-table-left-out-hint = gli obiettivi hanno una colonna `Titolo`, gli indicatori una colonna `Tipo`
import-table-column-ignored = la colonna `{ $header }` non viene importata
import-table-column-ignored-hint = `--map` associa un'intestazione a un campo, con una riga `"{ $header }": dirigente`
import-table-objectives-column = gli obiettivi non hanno la colonna `{ $field }`
import-table-description-column-hint = aggiungere la descrizione dettagliata; per i nostri dati aperti, importare `piano.json`
import-table-column-hint = intitolare la colonna come nella scheda stampata, o rinominarla con `--map`
import-table-indicators-column = gli indicatori non hanno la colonna `{ $field }`
import-table-no-target = gli indicatori non hanno la colonna `Valore Atteso`
import-table-no-target-hint = una colonna per anno (`Valore Atteso 2020`), oppure `Anno` e `Valore Atteso`
import-table-no-objective = nessun obiettivo `{ $code }` nella tabella degli obiettivi
import-table-no-objective-hint = il `Codice` di ogni indicatore è il codice del suo obiettivo
import-table-not-a-year = `{ $year }` non è un anno
import-table-second-target = obiettivo `{ $code }`: un secondo valore atteso per il { $year } dello stesso indicatore
http-405 = metodo non ammesso
http-400 = è attesa una sola intestazione Host
serve-live-stopped = schede serve non è in esecuzione: la pagina si aggiornerà quando ripartirà
serve-live-restarted = schede serve è ripartito: la pagina è aggiornata
http-403 = intestazione Host non ammessa
http-503 = arresto in corso
tera-unknown = { $kind ->
        [filter] filtro sconosciuto
        [test] test sconosciuto
        [function] funzione sconosciuta
        [component] componente sconosciuto
       *[template] modello sconosciuto
    } `{ $name }`
tera-unexpected-end = fine del modello inattesa

## I segnaposto dei valori delle opzioni nell'aiuto

cli-value-lang = LINGUA
cli-value-sheets = CARTELLA
cli-value-templates = CARTELLA
cli-value-output = CARTELLA
cli-value-jobs = N
cli-value-port = PORTA
cli-value-host = INDIRIZZO
cli-value-old = PRIMA
cli-value-new = DOPO
cli-value-format = FORMATO
cli-value-codice = CODICE
cli-value-like = CODICE
cli-value-only = CODICE
cli-value-except = CODICE
cli-value-files = FILE
cli-value-ente = ENTE
cli-value-titolo = TITOLO
cli-value-anni = ANNI
cli-value-map = FILE
cli-value-from = DA
cli-value-to = A
cli-value-paths = PERCORSI

## Risultati (monitoraggio)

result-threshold-invalid = `{ $value }` non è una percentuale
result-date-invalid = `{ $date }` non è una data
result-date-hint = scrivere le date di monitoraggio nella forma `AAAA-MM-GG`, come `2019-12-31`
result-date-outside = la data `{ $date }` non è in un anno del piano
result-date-outside-hint = gli anni del piano sono { $years }
result-weight-invalid = il peso deve essere un numero maggiore di zero
result-value-empty = il valore raggiunto al { $date } è vuoto (indicatore { $indicator })
result-achievement-invalid = `{ $value }` non è una percentuale
result-achievement-invalid-hint = scrivere il raggiungimento come percentuale, come `100%` o `87,5%`
result-achievement-without-value = un raggiungimento al { $date } senza valore raggiunto a quella data
result-not-comparable = il valore `{ $value }` al { $date } non si può confrontare con il valore atteso `{ $target }` (indicatore { $indicator })
result-not-comparable-hint = indicare il raggiungimento a mano: `raggiungimento: {"{"}{ $date }: 100%{"}"}`
result-deviation-unexplained = l'obiettivo ha raggiunto il { $achievement } al { $date } e lo scostamento non è motivato
result-deviation-unexplained-hint = scrivere le motivazioni in `risultati`, `{ $date }`, `scostamento`
import-result-exists = un risultato al { $date } è già nelle fonti
import-result-exists-hint = ripetere con `--force` per sostituirlo
import-result-column = manca la colonna `{ $column }`
import-result-no-sheet = nessuna scheda ha il codice `{ $code }`
import-result-indicator = non è il numero di un indicatore (la scheda ne ha { $count })
import-result-date = non è una data
monitor-no-plan = non c'è il piano { $year }
monitor-xlsx = impossibile creare la cartella di lavoro ({ $reason })
monitor-exists = il file esiste
monitor-exists-hint = ripetere con `--force` per sostituirlo, o scegliere un'altra cartella con `--output`
monitor-wrote = scritto { $path }
cli-monitor = Scrive la cartella di lavoro che raccoglie dalle Direzioni i risultati di una data di monitoraggio
cli-monitor--year = L'anno del piano, come `2019`
cli-monitor--at = La data di monitoraggio, `AAAA-MM-GG` (ad es. `2019-06-30`, `2019-12-31`)
cli-monitor--per_direzione = Scrive una cartella di lavoro per Direzione invece di una per tutto il piano
cli-monitor--sheets = La cartella delle schede
cli-monitor--output = La cartella in cui scrivere le cartelle di lavoro
cli-monitor--force = Sostituisce le cartelle di lavoro già presenti
cli-value-year = ANNO
cli-value-at = DATA
