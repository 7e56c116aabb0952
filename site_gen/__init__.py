"""site_gen: raw archived articles (seeds/) → front-matter Markdown (content/) → static site (public/)."""

__version__ = "0.1.0"
