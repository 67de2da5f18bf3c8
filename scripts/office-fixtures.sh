#!/usr/bin/env bash
# Regenerates the office fixtures in test/fixtures/office/ from the flat-XML sources in
# test/fixtures/office/src/ with LibreOffice (soffice) in headless mode. The tests read the
# committed files and never need LibreOffice; run this only after changing a source.
#
#   bash scripts/office-fixtures.sh
#
# Needs: soffice (Debian: apt-get install -y --no-install-recommends libreoffice-writer
# libreoffice-calc) and python3 (for the re-packed workbook below).
#
# Files made:
#   contract-ru.docx      <- src/contract-ru.fodt  Russian contract: headings, tab, line break, table
#   report-en.docx        <- src/report-en.fodt    English report with a table
#   contract-ru.odt       <- src/contract-ru.fodt  the Russian contract as OpenDocument text
#   workbook.xlsx         <- src/workbook.fods     three sheets (two Cyrillic names): dates, a
#                                                  date-time, merged cells, numbers, formulas,
#                                                  a boolean, a rich-text cell
#   workbook-moved.xlsx   <- workbook.xlsx         the same parts with the tab order changed in
#                                                  xl/workbook.xml only, the way a spreadsheet
#                                                  looks after a sheet was moved: the first tab
#                                                  is no longer sheet1.xml, so a reader has to
#                                                  follow the workbook relationships
set -euo pipefail

root="$(cd "$(dirname "$0")/.." && pwd)"
src="$root/test/fixtures/office/src"
out="$root/test/fixtures/office"
work="$(mktemp -d)"
trap 'rm -rf "$work"' EXIT

command -v soffice >/dev/null || { echo "soffice not found (install libreoffice-writer and libreoffice-calc)" >&2; exit 1; }

# A private profile keeps a running LibreOffice or another user's settings out of the result.
profile="file://$work/profile"
soffice -env:UserInstallation="$profile" --headless --convert-to docx --outdir "$work" "$src/contract-ru.fodt" "$src/report-en.fodt" >/dev/null
soffice -env:UserInstallation="$profile" --headless --convert-to odt --outdir "$work" "$src/contract-ru.fodt" >/dev/null
soffice -env:UserInstallation="$profile" --headless --convert-to xlsx --outdir "$work" "$src/workbook.fods" >/dev/null

cp "$work/contract-ru.docx" "$work/contract-ru.odt" "$work/report-en.docx" "$work/workbook.xlsx" "$out/"

python3 - "$out/workbook.xlsx" "$out/workbook-moved.xlsx" <<'PY'
import re, sys, zipfile

src, dst = sys.argv[1], sys.argv[2]
with zipfile.ZipFile(src) as zin, zipfile.ZipFile(dst, "w", zipfile.ZIP_DEFLATED) as zout:
    for item in zin.infolist():
        data = zin.read(item.filename)
        if item.filename == "xl/workbook.xml":
            xml = data.decode("utf-8")
            sheets = re.findall(r"<sheet [^>]*/>", xml)
            # Tab order 2, 3, 1: "Товары" first, "Итоги" (still sheet1.xml) last.
            moved = sheets[1:] + sheets[:1]
            block = "<sheets>" + "".join(sheets) + "</sheets>"
            assert block in xml, "unexpected workbook.xml layout"
            xml = xml.replace(block, "<sheets>" + "".join(moved) + "</sheets>")
            data = xml.encode("utf-8")
        zout.writestr(item, data)
PY

ls -l "$out"/*.docx "$out"/*.odt "$out"/*.xlsx
