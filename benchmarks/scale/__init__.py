"""The province-scale benchmark: a generated 100k catalogue on PostgreSQL and the figures measured on it.

`texts` composes listing and need texts from the seed's vocabulary, `generate` fills a migrated database,
`vectors` gives every document an embedding-like vector without encoding it and builds the embedded index,
`postgres` starts the pinned embedded PostgreSQL; `benchmarks.bench_scale` measures.
"""
