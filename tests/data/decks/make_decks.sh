#!/bin/sh
# Makes the deck import's test files (tests/test_deck_import.py) from the hand-written sources in
# source/ (UTF-8, ","), each saved by LibreOffice Calc as a French or an English user saves it:
#   fr-utf8-bom-semicolon.csv  French locale, ";", UTF-8 with a BOM (as Excel's "CSV UTF-8")
#   fr-cp1252-semicolon.csv    French locale, ";", Windows-1252 (Excel's plain "CSV"), accents and ’ « … »
#   en-utf8-comma.csv          English locale, ",", UTF-8 without BOM
#   deck-fr.xlsx               the French deck as an Excel workbook
#   bad-lines-fr.csv           French locale, ";", a line of every kind of fault
#   story-fr.csv               French locale, ";", Windows-1252: a 23-line deck with three bad lines,
#                              the one the whole story's browser test prepares a workshop from
# Every source holds cells with line breaks inside quotes. deck.json and pasted.txt are written by
# hand. Run from anywhere: sh tests/data/decks/make_decks.sh (needs libreoffice-calc-nogui).
set -eu
cd "$(dirname "$0")"
out=$(mktemp -d)
trap 'rm -rf "$out"' EXIT
# The CSV import filter's options: separator, quote, charset (76 UTF-8, 1 Windows-1252), first line.
read_utf8_comma='CSV:44,34,76,1'
save() {  # save <source> <separator code> <charset code> <language code> <target>
  soffice --headless -env:UserInstallation="file://$out/profile" --infilter="$read_utf8_comma" \
    --convert-to "csv:Text - txt - csv (StarCalc):$2,34,$3,1,,$4" --outdir "$out/$5" "source/$1" >/dev/null
  mv "$out/$5/$(basename "$1")" "$5"
}
save deck-fr.csv 59 76 1036 fr-utf8-bom-semicolon.csv
# LibreOffice 7.4 cannot write a BOM (its option came in 7.6): the BOM Excel's "CSV UTF-8" starts
# with is put in front of what LibreOffice saved.
printf '\357\273\277' | cat - fr-utf8-bom-semicolon.csv > "$out/bom.csv" && mv "$out/bom.csv" fr-utf8-bom-semicolon.csv
save deck-fr.csv 59 1 1036 fr-cp1252-semicolon.csv
save deck-en.csv 44 76 1033 en-utf8-comma.csv
save bad-lines.csv 59 76 1036 bad-lines-fr.csv
save story-fr.csv 59 1 1036 story-fr.csv
soffice --headless -env:UserInstallation="file://$out/profile" --infilter="$read_utf8_comma" \
  --convert-to xlsx --outdir "$out/xlsx" source/deck-fr.csv >/dev/null
mv "$out/xlsx/deck-fr.xlsx" deck-fr.xlsx
