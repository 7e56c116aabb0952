"""`python -m site_gen` runs the same CLI as the `site-gen` console script."""

from site_gen.cli import entry

entry()
