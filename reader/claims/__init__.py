"""The claim and check-worthy fact highlighter: lexicon, scan, scores with reasons."""
