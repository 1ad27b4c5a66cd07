#!/usr/bin/env python3
"""Writes the seed corpora under fuzz/seeds/<target>/.

Usage: python3 make-seeds.py [SYNTH_DIR]

SYNTH_DIR is the output of `steward generate --out SYNTH_DIR --customers 100
--days 3` (synthetic data only); from it come a small Parquet file and a few
real-looking lines. Without it, only the built-in seeds are written.
Everything here is synthetic: no real personal data.

seeds/parquet/bigdelta.parquet is not written here: it is a copy of
tests/arrow_reader/bigdelta.parquet from the parquet crate (60.1.0).
"""

import gzip
import io
import os
import shutil
import sqlite3
import sys
import tempfile
import zipfile

HERE = os.path.dirname(os.path.abspath(__file__))
SEEDS = os.path.join(HERE, "seeds")


def put(target, name, data):
    d = os.path.join(SEEDS, target)
    os.makedirs(d, exist_ok=True)
    if isinstance(data, str):
        data = data.encode("utf-8")
    with open(os.path.join(d, name), "wb") as f:
        f.write(data)


def head_lines(path, n):
    with open(path, "rb") as f:
        return b"".join(f.readline() for _ in range(n))


# ---- text -------------------------------------------------------------
TEXT = (
    "2025-04-09T15:14:14Z ERROR shipping-svc member=84 phone=010-0132-8261 email=minsu.kim@naver.com\n"
    "rrn 960121-1021413 card 4111 1111 1111 1111 iban DE89370400440532013000\n"
    "ip 211.111.200.29 ssn 078-05-1120 AKIA5W7L7ZNAAG5B64HH\n"
    "주소: 서울특별시 강남구 테헤란로 123 우편번호 06236 전화: 010-1234-5678\n"
)
put("text", "log.txt", TEXT)
put("text", "utf16le.txt", b"\xff\xfe" + TEXT.encode("utf-16-le"))
put("text", "utf16be.txt", b"\xfe\xff" + TEXT.encode("utf-16-be"))
put("text", "latin1.txt", "caf\xe9 010-0132-8261\n".encode("latin-1"))
put("text", "env.txt",
    "JWT_SIGNING_SECRET=jMmbvjcgWH15DgV8AJDRVth1kIzFHy2nbrj7VfBkdZuJOFVb\n"
    "AWS_ACCESS_KEY_ID=AKIA5W7L7ZNAAG5B64HH\n"
    "AWS_SECRET_ACCESS_KEY=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\n")

# ---- jsonl / walk_line ------------------------------------------------
JSONL = [
    '{"member_id":82,"phone":"010-7058-4653","body":"연락처는 010-7058-4653 입니다."}',
    '{"entries":[{"name":"한명택","phone":"010-0024-4128","postal_code":"04441"}],"member_id":2}',
    '{"a b":"q\\"x\\\\","email":"minsu.kim@naver.com","n":1.5e3,"t":true,"z":null}',
    '{"rrn":"960121-1021413","esc":"\\u0030\\u0031\\u0030-0132-8261","ip":"47.95.0.1"}',
    '[1,"2",{"card":"4111111111111111"}]',
]
put("jsonl", "lines.jsonl", "\n".join(JSONL) + "\n")
put("jsonl", "malformed.jsonl", JSONL[0] + "\n{\"a\":1\n\n" + JSONL[1])
for i, line in enumerate(JSONL):
    put("walk_line", "line%d.json" % i, line)
put("walk_line", "deep.json", "[" * 10 + "1" + "]" * 10)

# ---- json -------------------------------------------------------------
put("json", "array.json", "[\n" + ",\n".join(JSONL[:4]) + "\n]\n")
put("json", "object.json",
    '{"customers":{"KR":86},"contact":{"phone":"010-0132-8261","email":"a.b@example.com"}}')
put("json", "lines-as-json.json", "\n".join(JSONL[:3]) + "\n")

# ---- csv --------------------------------------------------------------
CSV = (
    "member_id,email,phone,country,birth_year\n"
    "1,jinhaoh0123qs@kakao.com,010-6061-6886,KR,1990\n"
    "2,rokrinbyeon01njcn@naver.com,010-0888-8093,KR,1989\n"
    '3,"quoted, field",960121-1021413,KR\n'
)
put("csv", "members.csv", CSV)
put("csv", "members.tsv", CSV.replace(",", "\t"))
put("csv", "badutf8.csv", b"name,note\n\xff\xfe,010-0132-8261\n")

# ---- compressed: first byte selects codec and inner format ------------
# sel % 3: 0 gzip, 1 zstd, 2 raw;  (sel // 3) % 5: jsonl, csv, txt, json, tsv
put("compressed", "gzip-jsonl", bytes([0]) + "\n".join(JSONL).encode())
put("compressed", "zstd-jsonl", bytes([1]) + "\n".join(JSONL).encode())
put("compressed", "gzip-csv", bytes([3]) + CSV.encode())
put("compressed", "zstd-txt", bytes([7]) + TEXT.encode())
put("compressed", "raw-gzip-jsonl", bytes([2]) + gzip.compress("\n".join(JSONL).encode()))
two = gzip.compress(b'{"phone":"010-0132-8261"}\n') + gzip.compress(b'{"phone":"010-1234-5678"}\n')
put("compressed", "raw-gzip-multimember", bytes([2]) + two)
if shutil.which("zstd"):
    import subprocess
    z = subprocess.run(["zstd", "-q", "-c"], input="\n".join(JSONL).encode(),
                       stdout=subprocess.PIPE, check=True).stdout
    put("compressed", "raw-zstd-jsonl", bytes([0x80 | 2]) + z)

# ---- sqlite -----------------------------------------------------------
def sqlite_bytes(script):
    with tempfile.TemporaryDirectory() as d:
        p = os.path.join(d, "x.sqlite")
        con = sqlite3.connect(p)
        con.execute("PRAGMA page_size=512")
        con.executescript(script)
        con.commit()
        con.execute("VACUUM")
        con.close()
        with open(p, "rb") as f:
            return f.read()

put("sqlite", "customers.sqlite", sqlite_bytes('''
CREATE TABLE customers(id INTEGER PRIMARY KEY, name TEXT, phone TEXT, email TEXT, score REAL, pic BLOB);
INSERT INTO customers VALUES (1,'김민수','010-0132-8261','minsu.kim@naver.com',1.5,x'00ff');
INSERT INTO customers VALUES (2,'Jane Roe','010-1234-5678','jane@example.com',NULL,NULL);
CREATE TABLE "odd ""name"""(a, b);
INSERT INTO "odd ""name""" VALUES ('960121-1021413', 42);
'''))
put("sqlite", "withoutrowid.sqlite", sqlite_bytes("""
CREATE TABLE k(code TEXT PRIMARY KEY, rrn TEXT) WITHOUT ROWID;
INSERT INTO k VALUES ('a','960121-1021413');
CREATE TABLE two(a, b, PRIMARY KEY(a, b));
INSERT INTO two VALUES ('010-0132-8261', 'x');
CREATE INDEX i ON two(b);
CREATE VIEW v AS SELECT * FROM k;
"""))

# ---- xlsx (zip + XML, written by hand) --------------------------------
def xlsx_bytes(rows):
    def cell(ref, v):
        if isinstance(v, (int, float)):
            return '<c r="%s"><v>%s</v></c>' % (ref, v)
        return '<c r="%s" t="inlineStr"><is><t>%s</t></is></c>' % (ref, v)

    sheet_rows = []
    for r, row in enumerate(rows, 1):
        cells = "".join(cell("%s%d" % (chr(65 + c), r), v) for c, v in enumerate(row))
        sheet_rows.append('<row r="%d">%s</row>' % (r, cells))
    files = {
        "[Content_Types].xml":
            '<?xml version="1.0" encoding="UTF-8"?><Types xmlns="http://schemas.openxmlformats.org/package/2006/content-types">'
            '<Default Extension="rels" ContentType="application/vnd.openxmlformats-package.relationships+xml"/>'
            '<Default Extension="xml" ContentType="application/xml"/>'
            '<Override PartName="/xl/workbook.xml" ContentType="application/vnd.openxmlformats-officedocument.spreadsheetml.sheet.main+xml"/>'
            '<Override PartName="/xl/worksheets/sheet1.xml" ContentType="application/vnd.openxmlformats-officedocument.spreadsheetml.worksheet+xml"/>'
            '</Types>',
        "_rels/.rels":
            '<?xml version="1.0" encoding="UTF-8"?><Relationships xmlns="http://schemas.openxmlformats.org/package/2006/relationships">'
            '<Relationship Id="rId1" Type="http://schemas.openxmlformats.org/officeDocument/2006/relationships/officeDocument" Target="xl/workbook.xml"/>'
            '</Relationships>',
        "xl/workbook.xml":
            '<?xml version="1.0" encoding="UTF-8"?><workbook xmlns="http://schemas.openxmlformats.org/spreadsheetml/2006/main" '
            'xmlns:r="http://schemas.openxmlformats.org/officeDocument/2006/relationships">'
            '<sheets><sheet name="Members" sheetId="1" r:id="rId1"/></sheets></workbook>',
        "xl/_rels/workbook.xml.rels":
            '<?xml version="1.0" encoding="UTF-8"?><Relationships xmlns="http://schemas.openxmlformats.org/package/2006/relationships">'
            '<Relationship Id="rId1" Type="http://schemas.openxmlformats.org/officeDocument/2006/relationships/worksheet" Target="worksheets/sheet1.xml"/>'
            '</Relationships>',
        "xl/worksheets/sheet1.xml":
            '<?xml version="1.0" encoding="UTF-8"?><worksheet xmlns="http://schemas.openxmlformats.org/spreadsheetml/2006/main">'
            '<sheetData>' + "".join(sheet_rows) + '</sheetData></worksheet>',
    }
    buf = io.BytesIO()
    with zipfile.ZipFile(buf, "w", zipfile.ZIP_STORED) as z:
        for name, text in files.items():
            z.writestr(name, text)
    return buf.getvalue()

put("xlsx", "members.xlsx", xlsx_bytes([
    ["member_id", "name", "phone", "email", "score"],
    [1, "김민수", "010-0132-8261", "minsu.kim@naver.com", 1.5],
    [2, "Jane Roe", "010-1234-5678", "jane@example.com", 123456789012],
]))

# Minimal ODS (also read by calamine).
ods = io.BytesIO()
with zipfile.ZipFile(ods, "w", zipfile.ZIP_STORED) as z:
    z.writestr("mimetype", "application/vnd.oasis.opendocument.spreadsheet")
    z.writestr("META-INF/manifest.xml",
        '<?xml version="1.0" encoding="UTF-8"?><manifest:manifest xmlns:manifest="urn:oasis:names:tc:opendocument:xmlns:manifest:1.0">'
        '<manifest:file-entry manifest:full-path="/" manifest:media-type="application/vnd.oasis.opendocument.spreadsheet"/>'
        '<manifest:file-entry manifest:full-path="content.xml" manifest:media-type="text/xml"/></manifest:manifest>')
    z.writestr("content.xml",
        '<?xml version="1.0" encoding="UTF-8"?><office:document-content '
        'xmlns:office="urn:oasis:names:tc:opendocument:xmlns:office:1.0" '
        'xmlns:table="urn:oasis:names:tc:opendocument:xmlns:table:1.0" '
        'xmlns:text="urn:oasis:names:tc:opendocument:xmlns:text:1.0"><office:body><office:spreadsheet>'
        '<table:table table:name="S"><table:table-row>'
        '<table:table-cell office:value-type="string"><text:p>phone</text:p></table:table-cell></table:table-row>'
        '<table:table-row><table:table-cell office:value-type="string"><text:p>010-0132-8261</text:p></table:table-cell>'
        '</table:table-row></table:table></office:spreadsheet></office:body></office:document-content>')
put("xlsx", "members.ods", ods.getvalue())

# ---- config -----------------------------------------------------------
put("config", "full.yaml", """min_confidence: 0.7
disable: [KR_PASSPORT]
allow:
  values: ["010-0000-0000"]
  fingerprints: ["fp:0123456789abcdef0123456789abcdef"]
  paths: ["**/fixtures/**"]
detectors:
  - id: EMPLOYEE_ID
    name: Employee number
    category: user.unique_id
    pattern: '(?-u:\\b)E\\d{4}(?-u:\\b)'
    validator: none
    confidence: 0.7
    context: [employee, 사번]
    columns: [employee_id]
""")
put("config", "group.yaml", """detectors:
  - id: TICKET
    category: user.unique_id
    pattern: 'ticket=(?P<v>T\\d{8})'
    validator: luhn
    needs_context: true
    jurisdiction: KR
""")
put("config", "empty.yaml", "{}\n")

# ---- steward-logs: the test fixtures and the shipped mappings ----------
# logs_jsonl: the first byte picks the mapping (index into the target's
# MAPPINGS) and the format; logs_csv: 0 = pgaudit, 1 = header CSV, 2 = TSV.
LOGS = os.path.join(HERE, "..", "crates", "steward-logs", "tests", "fixtures")
JSON_MAPPINGS = ["steward-gateway", "steward-auth", "ocsf-api-activity",
                 "ocsf-datastore-activity", "aws-cloudtrail", "nginx-json", "envoy-json"]
for i, name in enumerate(JSON_MAPPINGS):
    for ext in ("jsonl", "json"):
        p = os.path.join(LOGS, name + "." + ext)
        if os.path.exists(p):
            put("logs_jsonl", name + "." + ext, bytes([i]) + open(p, "rb").read())
p = os.path.join(LOGS, "steward-gateway.jsonl")
put("logs_jsonl", "steward-gateway.jsonl.gz", bytes([0]) + gzip.compress(open(p, "rb").read(), mtime=0))
put("logs_csv", "pgaudit.csv", b"\x00" + open(os.path.join(LOGS, "pgaudit.csv"), "rb").read())
put("logs_csv", "header.csv", b"\x01time,User,ip,code,member,path\n"
    b"2025-04-14T03:06:40Z,E1,10.0.0.1,200,1;2,/a/12?x\n1744600000,E2,,404,,/b\n")
put("logs_csv", "header.tsv", b"\x02time\tuser\tip\tcode\n2025-04-14T03:06:40Z\tE1\t10.0.0.1\t200\n")
MAPPINGS = os.path.join(HERE, "..", "mappings")
for n in sorted(os.listdir(MAPPINGS)):
    put("mapping", n, open(os.path.join(MAPPINGS, n), "rb").read())

# ---- from a `steward generate` output, when given -----------------------
if len(sys.argv) > 1:
    synth = sys.argv[1]
    pq = os.path.join(synth, "stores", "orders.parquet")
    if os.path.exists(pq):
        put("parquet", "orders.parquet", open(pq, "rb").read())
    for rel, target in [("logs/app/order-svc.log", "text"),
                        ("stores/cs_tickets.jsonl", "jsonl"),
                        ("stores/address_books.jsonl", "jsonl"),
                        ("logs/gateway/access.jsonl", "jsonl"),
                        ("hr/roster.csv", "csv"),
                        ("exports/vendor/hanriver_delivery.csv", "csv")]:
        p = os.path.join(synth, rel)
        if os.path.exists(p):
            put(target, "synth-" + os.path.basename(p), head_lines(p, 4))
    p = os.path.join(synth, "stores/config/auth-service.env")
    if os.path.exists(p):
        put("text", "synth-auth-service.env", open(p, "rb").read())
    p = os.path.join(synth, "logs/gateway/access.jsonl")
    if os.path.exists(p):
        put("walk_line", "synth-access.json", head_lines(p, 1).rstrip(b"\n"))
