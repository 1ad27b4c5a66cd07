#!/usr/bin/env python3
"""Benchmark peer: Microsoft Presidio's analyzer, pattern recognizers only.

Measures the throughput of `AnalyzerEngine.analyze` (language "en"): each file
is read as bytes, cut into ~64 KB batches on newline boundaries, decoded as
UTF-8 (errors="replace") and analyzed. Only time inside `analyze` is counted
(not reading, decoding or start-up); one untimed warm-up call runs first.
Context enhancement scans a batch's tokens once per result, so cost grows
faster than linearly with --batch-bytes.

No spaCy model is downloaded: the NLP engine is `spacy.blank("en")` (tokenizer
only, no NER), lower-cased tokens standing in for lemmas so Presidio's context
words still work. Recognizers: Presidio's default "en" set minus the NER-backed
SpacyRecognizer, plus the KR_* pattern recognizers re-targeted to "en". The
e-mail check's tldextract uses its bundled suffix list (no network).

Usage: python3 bench/presidio_scan.py [--limit-bytes N] [--batch-bytes N] FILE...
Prints one JSON object: bytes, seconds, mb_per_s (10^6 bytes/s), results
(count per entity type at Presidio's default score threshold), recognizers.
"""
import argparse
import json
import logging
import sys
import time
import types
from collections import Counter

import spacy
import tldextract
from presidio_analyzer import AnalyzerEngine, PatternRecognizer, RecognizerRegistry
from presidio_analyzer import predefined_recognizers as pr
from presidio_analyzer.nlp_engine import NlpArtifacts, SpacyNlpEngine
from presidio_analyzer.predefined_recognizers.generic import email_recognizer

BATCH = 64 * 1024
LANG = "en"


class BlankSpacyNlpEngine(SpacyNlpEngine):
    """SpacyNlpEngine over spacy.blank(lang): tokens only, no model, no NER."""

    def load(self) -> None:
        self.nlp = {m["lang_code"]: spacy.blank(m["lang_code"]) for m in self.models}

    def _doc_to_nlp_artifact(self, doc, language):
        return NlpArtifacts(entities=[], tokens=doc,
                            tokens_indices=[t.idx for t in doc],
                            lemmas=[t.lower_ for t in doc], nlp_engine=self,
                            language=language, scores=[])


def build_analyzer() -> AnalyzerEngine:
    offline = tldextract.TLDExtract(cache_dir=None, suffix_list_urls=())
    email_recognizer.tldextract = types.SimpleNamespace(extract=offline)
    engine = BlankSpacyNlpEngine(models=[{"lang_code": LANG, "model_name": "blank"}])
    engine.load()
    registry = RecognizerRegistry(supported_languages=[LANG])
    registry.load_predefined_recognizers(languages=[LANG], nlp_engine=engine)
    # Keep regex recognizers and PhoneRecognizer (libphonenumber); drop NER ones.
    registry.recognizers = [r for r in registry.recognizers
                            if isinstance(r, (PatternRecognizer, pr.PhoneRecognizer))]
    have = {type(r) for r in registry.recognizers}
    for cls in (pr.KrRrnRecognizer, pr.KrFrnRecognizer, pr.KrBrnRecognizer,
                pr.KrPassportRecognizer, pr.KrDriverLicenseRecognizer):
        if cls not in have:
            registry.add_recognizer(cls(supported_language=LANG))
    return AnalyzerEngine(registry=registry, nlp_engine=engine,
                          supported_languages=[LANG])


def batches(path, size=BATCH):
    """Yield byte batches of ~size bytes, each ending on a newline if possible."""
    with open(path, "rb") as f:
        rest = b""
        while chunk := f.read(size):
            buf = rest + chunk
            cut = buf.rfind(b"\n") + 1
            if cut == 0:  # no newline yet: keep reading, but bound the batch
                if len(buf) < 4 * size:
                    rest = buf
                    continue
                cut = len(buf)
            yield buf[:cut]
            rest = buf[cut:]
        if rest:
            yield rest


def main() -> int:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--limit-bytes", type=int, default=0,
                    help="stop after roughly N bytes in total (0 = no limit)")
    ap.add_argument("--batch-bytes", type=int, default=BATCH,
                    help="bytes per analyze() call (default 65536)")
    ap.add_argument("files", nargs="+", metavar="FILE")
    args = ap.parse_args()
    logging.getLogger("presidio-analyzer").setLevel(logging.ERROR)

    analyzer = build_analyzer()
    analyzer.analyze("warm-up a@example.com (212) 555-0143 8.8.8.8", language=LANG)

    total, seconds, counts = 0, 0.0, Counter()
    for path in args.files:
        if args.limit_bytes and total >= args.limit_bytes:
            break
        for raw in batches(path, args.batch_bytes):
            if args.limit_bytes and total >= args.limit_bytes:
                break
            text = raw.decode("utf-8", errors="replace")
            t0 = time.perf_counter()
            results = analyzer.analyze(text=text, language=LANG)
            seconds += time.perf_counter() - t0
            total += len(raw)
            counts.update(r.entity_type for r in results)

    recs = analyzer.registry.get_recognizers(LANG, all_fields=True)
    print(json.dumps({
        "bytes": total, "seconds": round(seconds, 6),
        "mb_per_s": round(total / 1e6 / seconds, 4) if seconds else None,
        "results": dict(sorted(counts.items())),
        "recognizers": sorted(r.name for r in recs)}))
    return 0


if __name__ == "__main__":
    sys.exit(main())
