"""The site's build stages, as Pelican plugins: one package each, in the order the data flows.

- ``stages.markup``: Markdown with points, steps and figures, read with line numbers;
- ``stages.checks``: every mistake named by file and line, in one problem list;
- ``stages.seo``: structured data, descriptions, sitemap.xml and robots.txt;
- ``stages.assets``: theme files addressed by their content;
- ``stages.hosting``: security and caching headers for static hosts.

``stages.pelican_compat`` is the one module that touches Pelican's internals. See
docs/ARCHITECTURE.md for the whole flow.
"""
