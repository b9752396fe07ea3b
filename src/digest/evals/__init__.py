"""The eval suite: hand-labelled fixtures, scorers, run logs and comparisons."""
