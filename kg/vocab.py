"""The project's vocabulary as a closed rdflib namespace.

Every IRI the builder writes comes from here, so a typo in a term name raises
instead of minting a silent new IRI. ``ontology/kg.ttl`` documents each term
(labels in Chinese and English, comments, alignments); a test checks the two
agree term for term.
"""

from __future__ import annotations

from rdflib import Namespace, URIRef
from rdflib.namespace import PROV, RDF, RDFS, SKOS, XSD, DefinedNamespace

#: Namespace of the ontology terms (classes, properties, concept schemes).
KG_NS = "https://w3id.org/cn-health-kg/ontology#"
#: Namespace of the data resources the builder mints (entities, relations, documents).
ID_NS = "https://w3id.org/cn-health-kg/id/"

ID = Namespace(ID_NS)
GEO = Namespace("http://www.w3.org/2003/01/geo/wgs84_pos#")
SCHEMA = Namespace("https://schema.org/")
ORG = Namespace("http://www.w3.org/ns/org#")


class KG(DefinedNamespace):
    """Terms of ``ontology/kg.ttl``."""

    _NS = Namespace(KG_NS)
    _fail = True

    # top-level classes
    Place: URIRef
    Institution: URIRef
    Program: URIRef
    Person: URIRef
    Partnership: URIRef
    Achievement: URIRef
    Document: URIRef
    Statement: URIRef
    # Place subclasses
    Country: URIRef
    Province: URIRef
    City: URIRef
    County: URIRef
    Town: URIRef
    Village: URIRef
    Region: URIRef
    # Institution subclasses
    Hospital: URIRef
    University: URIRef
    GovernmentAgency: URIRef
    PublicHealthAgency: URIRef
    HealthCenter: URIRef
    Association: URIRef
    MedicalGroup: URIRef
    ResearchCenter: URIRef
    MediaOrganization: URIRef
    RegionalGrouping: URIRef
    # Program subclasses
    Project: URIRef
    Pilot: URIRef
    Campaign: URIRef
    Award: URIRef
    PolicyDocument: URIRef
    # concept schemes and their concepts
    PartnershipKind: URIRef
    AchievementKind: URIRef
    Level: URIRef
    cooperation: URIRef
    agreement: URIRef
    coConstruction: URIRef
    trusteeship: URIRef
    membership: URIRef
    support: URIRef
    exchange: URIRef
    honour: URIRef
    selection: URIRef
    approval: URIRef
    designation: URIRef
    certification: URIRef
    promotion: URIRef
    ranking: URIRef
    nationalLevel: URIRef
    provincialLevel: URIRef
    municipalLevel: URIRef
    countyLevel: URIRef
    # relation properties
    partner: URIRef
    leadPartner: URIRef
    partnershipKind: URIRef
    coBuilt: URIRef
    achievedBy: URIRef
    program: URIRef
    achievementKind: URIRef
    awardedBy: URIRef
    level: URIRef
    department: URIRef
    date: URIRef
    # grounding
    evidence: URIRef
    evidenceStart: URIRef
    evidenceEnd: URIRef
    statement: URIRef
    statesKind: URIRef
    mentionedIn: URIRef
    mentionCount: URIRef
    # places
    locatedIn: URIRef
    adminCode: URIRef
    # institutions and people
    parentOrganization: URIRef
    role: URIRef
    affiliation: URIRef
    # documents
    fileName: URIRef
    contentHash: URIRef
    encoding: URIRef
    characterCount: URIRef
    about: URIRef
    coversYear: URIRef
    headline: URIRef


class Terms(dict[str, URIRef]):
    """A closed namespace's terms as plain attributes, for hot loops.

    ``DefinedNamespace`` checks every attribute access against its declarations (about a
    microsecond each: a million triples pay a second); this is a dict filled once from the
    same declarations, so an unknown name still raises.
    """

    def __init__(self, namespace: type[DefinedNamespace]) -> None:
        super().__init__({n: namespace[n] for n in namespace.__annotations__})

    def __getattr__(self, name: str) -> URIRef:
        try:
            return self[name]
        except KeyError:
            raise AttributeError(name) from None


#: The KG terms for the emitters' inner loops (same IRIs as :class:`KG`).
KG_TERMS = Terms(KG)

# rdflib's namespaces check each attribute access: the terms of the hot loops, looked up once.
TYPE, LABEL, ALT_LABEL = RDF.type, RDFS.label, SKOS.altLabel
LAT, LONG, DERIVED_FROM = URIRef(GEO.lat), URIRef(GEO.long), PROV.wasDerivedFrom
X_STRING, X_INTEGER, X_DATE = XSD.string, XSD.integer, XSD.date
X_YEAR, X_YEAR_MONTH = XSD.gYear, XSD.gYearMonth
