"""referat: Danish meeting minutes (referater) to queryable tables."""

__version__ = "0.3.0"
