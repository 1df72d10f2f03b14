"""The pages' language: chosen from ``?lang=``, else Accept-Language, else English.

The interface strings live in one table (:data:`STRINGS`), each in en, fr and es, so a
missing translation is a test failure rather than a blank on a page. Labels from the
data fall back as the issue asks: the page's language, then English, then any.
"""

from __future__ import annotations

from collections.abc import Mapping
from typing import Final

from flask import request

from l4a_graph.queries import LANGUAGES

__all__ = ["LANGUAGES", "LANGUAGE_NAMES", "STRINGS", "entity", "page_lang", "pick", "translate"]

LANGUAGE_NAMES: Final = {"en": "English", "fr": "Français", "es": "Español"}

STRINGS: Final[dict[str, dict[str, str]]] = {
    "site_title": {
        "en": "Local4Action HUBs open data",
        "fr": "Données ouvertes des HUBs Local4Action",
        "es": "Datos abiertos de los HUBs Local4Action",
    },
    "skip": {"en": "Skip to content", "fr": "Aller au contenu", "es": "Ir al contenido"},
    "home": {"en": "Home", "fr": "Accueil", "es": "Inicio"},
    "hubs": {"en": "HUBs", "fr": "HUBs", "es": "HUBs"},
    "goals": {"en": "SDG goals", "fr": "Objectifs (ODD)", "es": "Objetivos (ODS)"},
    "axes": {"en": "Pact axes", "fr": "Axes du Pacte", "es": "Ejes del Pacto"},
    "map": {"en": "Map", "fr": "Carte", "es": "Mapa"},
    "sparql": {"en": "SPARQL", "fr": "SPARQL", "es": "SPARQL"},
    "dumps": {"en": "Downloads", "fr": "Téléchargements", "es": "Descargas"},
    "void": {
        "en": "Dataset description (VoID/DCAT)",
        "fr": "Description du jeu de données (VoID/DCAT)",
        "es": "Descripción del conjunto de datos (VoID/DCAT)",
    },
    "ontology": {"en": "Ontology", "fr": "Ontologie", "es": "Ontología"},
    "api": {"en": "JSON API", "fr": "API JSON", "es": "API JSON"},
    "apply_nav": {"en": "Apply", "fr": "Candidater", "es": "Postular"},
    "language": {"en": "Language", "fr": "Langue", "es": "Idioma"},
    "intro": {
        "en": "Linked open data on the Local4Action HUBs of United Cities and Local "
        "Governments (UCLG): initiatives led by local and regional governments, the "
        "stakeholders who take part, their territories, and the Sustainable Development "
        "Goals and Pact for the Future axes they serve. Everything here comes from public "
        "sources; what they do not state is shown as such, never guessed.",
        "fr": "Données ouvertes et liées sur les HUBs Local4Action de Cités et Gouvernements "
        "Locaux Unis (CGLU) : des initiatives portées par des gouvernements locaux et "
        "régionaux, les parties prenantes qui y participent, leurs territoires, et les "
        "Objectifs de développement durable et axes du Pacte pour l'avenir qu'elles servent. "
        "Tout provient de sources publiques ; ce qu'elles ne disent pas est signalé, jamais "
        "deviné.",
        "es": "Datos abiertos y enlazados sobre los HUBs Local4Action de Ciudades y Gobiernos "
        "Locales Unidos (CGLU): iniciativas lideradas por gobiernos locales y regionales, las "
        "partes interesadas que participan, sus territorios, y los Objetivos de Desarrollo "
        "Sostenible y ejes del Pacto para el Futuro a los que sirven. Todo procede de fuentes "
        "públicas; lo que no dicen se indica como tal, nunca se inventa.",
    },
    "counts": {
        "en": "What the graph holds",
        "fr": "Contenu du graphe",
        "es": "Contenido del grafo",
    },
    "triples": {"en": "triples", "fr": "triplets", "es": "tripletas"},
    "entry_points": {"en": "Entry points", "fr": "Points d'entrée", "es": "Puntos de entrada"},
    "not_stated": {
        "en": "Not stated in the public sources",
        "fr": "Non précisé dans les sources publiques",
        "es": "No indicado en las fuentes públicas",
    },
    "lead": {"en": "Lead", "fr": "Porteur", "es": "Líder"},
    "territory": {"en": "Territory", "fr": "Territoire", "es": "Territorio"},
    "country": {"en": "Country", "fr": "Pays", "es": "País"},
    "stakeholders": {"en": "Stakeholders", "fr": "Parties prenantes", "es": "Partes interesadas"},
    "role": {"en": "Role", "fr": "Rôle", "es": "Rol"},
    "sdgs": {
        "en": "Sustainable Development Goals",
        "fr": "Objectifs de développement durable",
        "es": "Objetivos de Desarrollo Sostenible",
    },
    "targets": {"en": "SDG targets", "fr": "Cibles des ODD", "es": "Metas de los ODS"},
    "goal": {"en": "Goal", "fr": "Objectif", "es": "Objetivo"},
    "target": {"en": "Target", "fr": "Cible", "es": "Meta"},
    "time_frame": {"en": "Time frame", "fr": "Calendrier", "es": "Calendario"},
    "start": {"en": "Start", "fr": "Début", "es": "Inicio"},
    "end": {"en": "End", "fr": "Fin", "es": "Fin"},
    "stage": {"en": "Stage", "fr": "Étape", "es": "Etapa"},
    "deliverables": {"en": "Deliverables", "fr": "Livrables", "es": "Entregables"},
    "status": {"en": "Status", "fr": "État", "es": "Estado"},
    "due": {"en": "Due", "fr": "Échéance", "es": "Vencimiento"},
    "sources": {"en": "Sources", "fr": "Sources", "es": "Fuentes"},
    "processes": {
        "en": "UCLG processes and events",
        "fr": "Processus et événements de CGLU",
        "es": "Procesos y eventos de CGLU",
    },
    "related": {"en": "Related HUBs", "fr": "HUBs apparentés", "es": "HUBs relacionados"},
    "related_note": {
        "en": "Suggested by the matchmaking analysis; each suggestion says why.",
        "fr": "Suggérés par l'analyse de mise en relation ; chaque suggestion dit pourquoi.",
        "es": "Sugeridos por el análisis de emparejamiento; cada sugerencia explica por qué.",
    },
    "no_related": {
        "en": "The matchmaking analysis suggests no other HUB for now.",
        "fr": "L'analyse de mise en relation ne suggère aucun autre HUB pour l'instant.",
        "es": "El análisis de emparejamiento no sugiere otro HUB por ahora.",
    },
    "leads": {"en": "HUBs it leads", "fr": "HUBs qu'il porte", "es": "HUBs que lidera"},
    "takes_part": {
        "en": "HUBs it takes part in",
        "fr": "HUBs auxquels il participe",
        "es": "HUBs en los que participa",
    },
    "addressing": {
        "en": "HUBs addressing it",
        "fr": "HUBs qui le traitent",
        "es": "HUBs que lo abordan",
    },
    "via_target": {"en": "through target", "fr": "par la cible", "es": "mediante la meta"},
    "directly": {"en": "directly", "fr": "directement", "es": "directamente"},
    "none": {
        "en": "None in the data.",
        "fr": "Aucun dans les données.",
        "es": "Ninguno en los datos.",
    },
    "in_axis": {
        "en": "HUBs contributing to this axis",
        "fr": "HUBs qui contribuent à cet axe",
        "es": "HUBs que contribuyen a este eje",
    },
    "hubs_here": {"en": "Based here", "fr": "Basés ici", "es": "Con sede aquí"},
    "orgs_here": {
        "en": "Organisations here",
        "fr": "Organisations ici",
        "es": "Organizaciones aquí",
    },
    "members": {"en": "Members", "fr": "Membres", "es": "Miembros"},
    "narrower": {"en": "Narrower", "fr": "Plus spécifique", "es": "Más específico"},
    "broader": {"en": "Broader", "fr": "Plus général", "es": "Más general"},
    "part_of": {"en": "Part of", "fr": "Fait partie de", "es": "Forma parte de"},
    "parts": {"en": "Contains", "fr": "Contient", "es": "Contiene"},
    "in_scheme": {"en": "Concept scheme", "fr": "Schéma de concepts", "es": "Esquema de conceptos"},
    "concepts": {"en": "Concepts", "fr": "Concepts", "es": "Conceptos"},
    "definition": {"en": "Definition", "fr": "Définition", "es": "Definición"},
    "coordinates": {"en": "Coordinates", "fr": "Coordonnées", "es": "Coordenadas"},
    "type": {"en": "Type", "fr": "Type", "es": "Tipo"},
    "statements": {
        "en": "All statements",
        "fr": "Toutes les déclarations",
        "es": "Todas las declaraciones",
    },
    "incoming": {"en": "Referenced by", "fr": "Référencé par", "es": "Referenciado por"},
    "property": {"en": "Property", "fr": "Propriété", "es": "Propiedad"},
    "value": {"en": "Value", "fr": "Valeur", "es": "Valor"},
    "formats": {
        "en": "This description as",
        "fr": "Cette description en",
        "es": "Esta descripción en",
    },
    "iri": {"en": "IRI", "fr": "IRI", "es": "IRI"},
    "un_source": {
        "en": "Goal and target texts: UN SDG KOS (metadata.un.org).",
        "fr": "Textes des objectifs et cibles : UN SDG KOS (metadata.un.org).",
        "es": "Textos de objetivos y metas: UN SDG KOS (metadata.un.org).",
    },
    "not_found": {"en": "Not found", "fr": "Introuvable", "es": "No encontrado"},
    "not_found_text": {
        "en": "Nothing in the knowledge graph has this address. Try a search, or start "
        "from one of the lists below.",
        "fr": "Rien dans le graphe de connaissances n'a cette adresse. Essayez une recherche, "
        "ou partez de l'une des listes ci-dessous.",
        "es": "Nada en el grafo de conocimiento tiene esta dirección. Pruebe una búsqueda o "
        "empiece por una de las listas de abajo.",
    },
    "search": {"en": "Search", "fr": "Rechercher", "es": "Buscar"},
    "search_results": {
        "en": "Search results",
        "fr": "Résultats de la recherche",
        "es": "Resultados de la búsqueda",
    },
    "no_results": {"en": "No match.", "fr": "Aucun résultat.", "es": "Sin resultados."},
    "query_ui": {
        "en": "SPARQL query editor",
        "fr": "Éditeur de requêtes SPARQL",
        "es": "Editor de consultas SPARQL",
    },
    "query_intro": {
        "en": "Write a SPARQL 1.1 query, or start from one of the library's questions. "
        "The usual prefixes (l4a:, skos:, dcterms:, sdg:...) are predeclared.",
        "fr": "Écrivez une requête SPARQL 1.1, ou partez de l'une des questions de la "
        "bibliothèque. Les préfixes usuels (l4a:, skos:, dcterms:, sdg:...) sont prédéclarés.",
        "es": "Escriba una consulta SPARQL 1.1 o parta de una de las preguntas de la "
        "biblioteca. Los prefijos habituales (l4a:, skos:, dcterms:, sdg:...) están "
        "predeclarados.",
    },
    "named_queries": {
        "en": "Questions of the library",
        "fr": "Questions de la bibliothèque",
        "es": "Preguntas de la biblioteca",
    },
    "insert": {
        "en": "Put in the editor",
        "fr": "Mettre dans l'éditeur",
        "es": "Poner en el editor",
    },
    "query": {"en": "Query", "fr": "Requête", "es": "Consulta"},
    "results_as": {"en": "Results as", "fr": "Résultats en", "es": "Resultados en"},
    "run": {"en": "Run", "fr": "Exécuter", "es": "Ejecutar"},
    "no_js_form": {
        "en": "Plain form (works without JavaScript)",
        "fr": "Formulaire simple (sans JavaScript)",
        "es": "Formulario simple (sin JavaScript)",
    },
    "endpoint_facts": {"en": "triples in", "fr": "triplets dans", "es": "tripletas en"},
    "named_graphs": {"en": "named graphs", "fr": "graphes nommés", "es": "grafos nombrados"},
    "limits": {"en": "Limits", "fr": "Limites", "es": "Límites"},
    "seconds_per_query": {"en": "s per query", "fr": "s par requête", "es": "s por consulta"},
    "max_rows": {"en": "rows at most", "fr": "lignes au plus", "es": "filas como máximo"},
    "service_description": {
        "en": "service description",
        "fr": "description du service",
        "es": "descripción del servicio",
    },
    "map_title": {"en": "Map of the HUBs", "fr": "Carte des HUBs", "es": "Mapa de los HUBs"},
    "map_note": {
        "en": "Each HUB is placed at its territory, or at its lead's territory. Lines join "
        "HUBs that the matchmaking analysis suggests should meet. Country outlines: Natural "
        "Earth (public domain).",
        "fr": "Chaque HUB est placé sur son territoire, ou sur celui de son porteur. Les "
        "lignes relient les HUBs que l'analyse de mise en relation propose de rapprocher. "
        "Contours des pays : Natural Earth (domaine public).",
        "es": "Cada HUB se sitúa en su territorio o en el de su líder. Las líneas unen HUBs "
        "que el análisis de emparejamiento sugiere poner en contacto. Contornos de países: "
        "Natural Earth (dominio público).",
    },
    "located": {"en": "HUBs on the map", "fr": "HUBs sur la carte", "es": "HUBs en el mapa"},
    "location_na": {
        "en": "Location not available",
        "fr": "Emplacement non disponible",
        "es": "Ubicación no disponible",
    },
    "map_label": {
        "en": "World map with the HUBs",
        "fr": "Carte du monde avec les HUBs",
        "es": "Mapa del mundo con los HUBs",
    },
    "dumps_intro": {
        "en": "The whole published dataset, rebuilt when the data changes. Check the files "
        "with sha256sum -c SHA256SUMS.",
        "fr": "Tout le jeu de données publié, reconstruit quand les données changent. "
        "Vérifiez les fichiers avec sha256sum -c SHA256SUMS.",
        "es": "Todo el conjunto de datos publicado, reconstruido cuando cambian los datos. "
        "Compruebe los archivos con sha256sum -c SHA256SUMS.",
    },
    "file": {"en": "File", "fr": "Fichier", "es": "Archivo"},
    "media_type": {"en": "Media type", "fr": "Type de média", "es": "Tipo de medio"},
    "size": {"en": "Bytes", "fr": "Octets", "es": "Bytes"},
    "checksums": {"en": "Checksums", "fr": "Sommes de contrôle", "es": "Sumas de control"},
    "all_hubs": {"en": "All HUBs", "fr": "Tous les HUBs", "es": "Todos los HUBs"},
    "timeline": {"en": "Timeline", "fr": "Frise chronologique", "es": "Línea de tiempo"},
    "ongoing": {"en": "end not stated", "fr": "fin non précisée", "es": "fin no indicado"},
    "section": {"en": "UCLG section", "fr": "Section de CGLU", "es": "Sección de CGLU"},
    "sections": {"en": "UCLG sections", "fr": "Sections de CGLU", "es": "Secciones de CGLU"},
    "about_data": {
        "en": "About the data",
        "fr": "À propos des données",
        "es": "Acerca de los datos",
    },
    "entity:HUBs": {"en": "HUBs", "fr": "HUBs", "es": "HUBs"},
    "entity:LRGs": {
        "en": "local and regional governments",
        "fr": "gouvernements locaux et régionaux",
        "es": "gobiernos locales y regionales",
    },
    "entity:stakeholders": {
        "en": "stakeholders",
        "fr": "parties prenantes",
        "es": "partes interesadas",
    },
    "entity:SDG goals": {"en": "SDG goals", "fr": "objectifs (ODD)", "es": "objetivos (ODS)"},
    "entity:SDG targets": {"en": "SDG targets", "fr": "cibles des ODD", "es": "metas de los ODS"},
    "entity:SDG indicators": {
        "en": "SDG indicators",
        "fr": "indicateurs des ODD",
        "es": "indicadores de los ODS",
    },
    "entity:countries": {"en": "countries", "fr": "pays", "es": "países"},
    "entity:UCLG sections": {
        "en": "UCLG sections",
        "fr": "sections de CGLU",
        "es": "secciones de CGLU",
    },
}
"""Every interface string in en, fr and es (``entity:<name>``: the counts of ``l4a stats``)."""


def pick(texts: Mapping[str, str], lang: str) -> str:
    """``texts`` in ``lang``, else English, else any language, else the empty string.

    Examples
    --------
    >>> pick({"en": "Goal", "fr": "Objectif"}, "fr"), pick({"en": "Goal"}, "es")
    ('Objectif', 'Goal')
    >>> pick({"de": "Ziel"}, "es")
    'Ziel'
    """
    if lang in texts:
        return texts[lang]
    if "en" in texts:
        return texts["en"]
    return next(iter(texts.values()), "")


def entity(name: str, lang: str) -> str:
    """The name of a count of :meth:`~l4a_graph.knowledge_graph.KnowledgeGraph.stats`."""
    return pick(STRINGS.get(f"entity:{name}", {"en": name}), lang)


def translate(key: str, lang: str) -> str:
    """The interface string ``key`` in ``lang``.

    Raises
    ------
    KeyError
        If ``key`` is not in :data:`STRINGS` (a typo in a template).
    """
    return pick(STRINGS[key], lang)


def page_lang() -> str:
    """The language of this request's page: ``?lang=``, else Accept-Language, else en."""
    asked = request.args.get("lang", "")
    if asked in LANGUAGES:
        return asked
    return request.accept_languages.best_match(LANGUAGES) or "en"
