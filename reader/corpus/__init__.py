"""Documents: discovery, corpus.toml, decoding, normalisation, ids, hashes, listing."""
