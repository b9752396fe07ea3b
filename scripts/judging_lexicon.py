"""Build ``src/digest/lexicons/judging.tsv``: words that judge rather than inform, taken
from two licensed sentiment lexicons, for the cue pass's loaded wording.

Run it where both lexicons are installed (they are not runtime dependencies: the filtered
list is committed, with this script as its recipe)::

    pip install textblob==0.20.1 vadersentiment==3.3.2
    python scripts/judging_lexicon.py > src/digest/lexicons/judging.tsv

- TextBlob's en-sentiment.xml (Pattern's subjectivity lexicon of English adjectives, De
  Smedt and Daelemans; released under the PDDL, shipped in TextBlob, MIT): every sense of a
  word has a polarity (-1..1) and a subjectivity (0..1). Kept: adjectives that are strongly
  subjective (mean subjectivity over their senses at least 0.8) and clearly polar (mean
  absolute polarity at least 0.4), one word each: "extraordinary", "absurd", "stunning".
- VADER's lexicon (Hutto and Gilbert, 2014; vaderSentiment, MIT): adverbs of manner and
  degree ("-ly") rated strongly positive or negative (absolute mean valence at least 2.0:
  "brilliantly", "shockingly"), and VADER's intensifiers ("BOOSTER_DICT") that are "-ly"
  adverbs of a kept or rated word ("incredibly", "remarkably").

VADER's other words are left out: in news they are mostly events ("attack", "killed",
"arrested"), which inform. The cue pass counts a word only where the sentence's parse makes
it an adjective or adverb, outside quotation marks (:func:`digest.loaded.settle`).
"""

from __future__ import annotations

import re
import statistics
import xml.etree.ElementTree as ET
from collections import defaultdict
from importlib import resources

from vaderSentiment import vaderSentiment as vader

SUBJECTIVITY = 0.8
POLARITY = 0.4
VALENCE = 2.0
#: Rated subjective by TextBlob but no judgment in news: "own" intensifies a possessive
#: ("their own"); the others name a state that a court, a doctor or a count establishes
#: ("found guilty", "a deadly attack": deaths; "set free").
NOT_JUDGING = frozenset(
    {"own", "free", "dangerous", "deadly", "sick", "wealthy", "guilty", "violent"}
)
_WORD = re.compile(r"[a-z][a-z-]+")


def textblob_adjectives() -> dict[str, tuple[float, float]]:
    xml = resources.files("textblob").joinpath("en", "en-sentiment.xml").read_text("utf-8")
    senses: dict[str, list[tuple[float, float]]] = defaultdict(list)
    for w in ET.fromstring(xml):
        form = (w.get("form") or "").lower()
        if w.get("pos") == "JJ" and _WORD.fullmatch(form):
            senses[form].append((float(w.get("polarity", 0)), float(w.get("subjectivity", 0))))
    return {
        f: (statistics.mean(abs(p) for p, _ in v), statistics.mean(s for _, s in v))
        for f, v in senses.items()
    }


def vader_valences() -> dict[str, float]:
    text = resources.files("vaderSentiment").joinpath("vader_lexicon.txt").read_text("utf-8")
    out = {}
    for line in text.splitlines():
        word, mean, *_ = line.split("\t")
        if _WORD.fullmatch(word):
            out[word] = float(mean)
    return out


def main() -> None:
    adjectives = textblob_adjectives()
    valences = vader_valences()
    kept: dict[str, str] = {}
    for word, (polarity, subjectivity) in sorted(adjectives.items()):
        if subjectivity >= SUBJECTIVITY and polarity >= POLARITY and word not in NOT_JUDGING:
            kept[word] = f"TextBlob\tpolarity {polarity:.2f}, subjectivity {subjectivity:.2f}"
    for word, valence in sorted(valences.items()):
        if word.endswith("ly") and abs(valence) >= VALENCE:
            kept.setdefault(word, f"VADER\tvalence {valence:+.1f}")
    for word in sorted(vader.BOOSTER_DICT):
        stem = word[:-2]
        if word.endswith("ly") and (word in valences or stem in kept or stem + "e" in kept):
            kept.setdefault(word, "VADER\tintensifier")
    print("# Words that judge rather than inform, for the cue pass's loaded wording: built by")
    print("# scripts/judging_lexicon.py (read it for the sources, licences and filters); do not")
    print("# edit by hand. Columns: word, source, its rating there.")
    for word, why in kept.items():
        print(f"{word}\t{why}")


if __name__ == "__main__":
    main()
