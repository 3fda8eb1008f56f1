"""Kafka-free NLP core: statement extraction, actor gazetteer, topic taxonomy and stance detection.

Everything here is plain functions over `schemas` records and packaged data files in `data/`; nothing
imports faust or kafka, so the same code runs in agents, offline replays and tests.
"""

from streams.nlp.actors import Gazetteer
from streams.nlp.extract import Extractor, FastExtractor
from streams.nlp.stance import detect_stances
from streams.nlp.taxonomy import Taxonomy, TopicMatch

__all__ = ["Extractor", "FastExtractor", "Gazetteer", "Taxonomy", "TopicMatch", "detect_stances"]
