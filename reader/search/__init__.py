"""Search: query language, postings, annotation and sentence indexes, hits, rendering."""
