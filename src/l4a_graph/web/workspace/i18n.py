"""The workspace's interface strings in English, French and Spanish.

Looked up by :func:`wt`, which falls back to the site's table
(:data:`l4a_graph.web.site.i18n.STRINGS`) for the words both share (country, role...).
A key missing from both is an error, so a typo fails the tests, not a page.
Messages about the answers themselves are not here: they are the shapes' own
``sh:message`` texts, in the applicant's language.
"""

from __future__ import annotations

from typing import Final

from l4a_graph.web.site.i18n import STRINGS, pick

__all__ = ["WORKSPACE_STRINGS", "wt"]

WORKSPACE_STRINGS: Final[dict[str, dict[str, str]]] = {
    "workspace": {"en": "Workspace", "fr": "Espace de travail", "es": "Espacio de trabajo"},
    "apply": {
        "en": "Apply for a Local4Action HUB",
        "fr": "Candidater pour un HUB Local4Action",
        "es": "Postular a un HUB Local4Action",
    },
    "apply_intro": {
        "en": "Local and regional governments, and their associations, apply in two stages, "
        "as in UCLG's calls for proposals: first the initiative, its lead, its agendas and "
        "its time frame (eligibility); after a first validation by the UCLG World "
        "Secretariat, its stakeholders and its deliverables. You can save a draft at any "
        "time and come back to it with its link.",
        "fr": "Les gouvernements locaux et régionaux, et leurs associations, candidatent en "
        "deux étapes, comme dans les appels à propositions de CGLU : d'abord l'initiative, "
        "son chef de file, ses agendas et sa période (éligibilité) ; après une première "
        "validation par le Secrétariat mondial de CGLU, ses parties prenantes et ses "
        "livrables. Vous pouvez enregistrer un brouillon à tout moment et y revenir grâce "
        "à son lien.",
        "es": "Los gobiernos locales y regionales, y sus asociaciones, postulan en dos etapas, "
        "como en las convocatorias de CGLU: primero la iniciativa, su entidad líder, sus "
        "agendas y su periodo (elegibilidad); tras una primera validación del Secretariado "
        "Mundial de CGLU, sus partes interesadas y sus entregables. Puede guardar un "
        "borrador en cualquier momento y volver a él con su enlace.",
    },
    "stage1": {
        "en": "Stage 1: eligibility",
        "fr": "Étape 1 : éligibilité",
        "es": "Etapa 1: elegibilidad",
    },
    "stage2": {
        "en": "Stage 2: stakeholders and deliverables",
        "fr": "Étape 2 : parties prenantes et livrables",
        "es": "Etapa 2: partes interesadas y entregables",
    },
    "stage2_intro": {
        "en": "Your initiative passed the first validation. Please answer the second set of "
        "questions: the stakeholders and their roles, and the deliverables. You may still "
        "improve your first answers.",
        "fr": "Votre initiative a passé la première validation. Répondez à la seconde série "
        "de questions : les parties prenantes et leurs rôles, et les livrables. Vous pouvez "
        "encore améliorer vos premières réponses.",
        "es": "Su iniciativa superó la primera validación. Responda a la segunda serie de "
        "preguntas: las partes interesadas y sus papeles, y los entregables. Aún puede "
        "mejorar sus primeras respuestas.",
    },
    "initiative": {"en": "The initiative", "fr": "L'initiative", "es": "La iniciativa"},
    "text_lang": {
        "en": "Language of your texts",
        "fr": "Langue de vos textes",
        "es": "Idioma de sus textos",
    },
    "hub_title": {
        "en": "Title of the initiative",
        "fr": "Titre de l'initiative",
        "es": "Título de la iniciativa",
    },
    "description": {"en": "Description", "fr": "Description", "es": "Descripción"},
    "lead_legend": {
        "en": "Lead local or regional government",
        "fr": "Gouvernement local ou régional chef de file",
        "es": "Gobierno local o regional líder",
    },
    "lead_known": {
        "en": "A government the graph already knows",
        "fr": "Un gouvernement déjà connu du graphe",
        "es": "Un gobierno que el grafo ya conoce",
    },
    "lead_new": {
        "en": "A government not listed: describe it",
        "fr": "Un gouvernement absent de la liste : décrivez-le",
        "es": "Un gobierno que no figura en la lista: descríbalo",
    },
    "choose": {"en": "— choose —", "fr": "— choisir —", "es": "— elegir —"},
    "none_option": {"en": "— none —", "fr": "— aucun —", "es": "— ninguna —"},
    "lead_name": {
        "en": "Name of the lead",
        "fr": "Nom du chef de file",
        "es": "Nombre de la entidad líder",
    },
    "lead_kind": {
        "en": "Kind of government",
        "fr": "Type de gouvernement",
        "es": "Tipo de gobierno",
    },
    "territory_name": {
        "en": "City or region where the HUB is based",
        "fr": "Ville ou région où le HUB est basé",
        "es": "Ciudad o región donde tiene su sede el HUB",
    },
    "city": {"en": "City", "fr": "Ville", "es": "Ciudad"},
    "region": {"en": "Region", "fr": "Région", "es": "Región"},
    "call": {
        "en": "Call for proposals you answer",
        "fr": "Appel à propositions auquel vous répondez",
        "es": "Convocatoria a la que responde",
    },
    "agendas": {
        "en": "Global agendas",
        "fr": "Agendas mondiaux",
        "es": "Agendas globales",
    },
    "targets_hint": {
        "en": "Tick the SDG targets the HUB addresses. Search them by code (11.3) or by words.",
        "fr": "Cochez les cibles des ODD que le HUB vise. Cherchez-les par code (11.3) ou "
        "par mots.",
        "es": "Marque las metas de los ODS que aborda el HUB. Búsquelas por código (11.3) o "
        "por palabras.",
    },
    "target_search": {
        "en": "Search the targets",
        "fr": "Rechercher les cibles",
        "es": "Buscar las metas",
    },
    "show_all": {
        "en": "Show all targets",
        "fr": "Afficher toutes les cibles",
        "es": "Mostrar todas las metas",
    },
    "selected": {"en": "Ticked", "fr": "Cochées", "es": "Marcadas"},
    "no_match": {
        "en": "No target matches.",
        "fr": "Aucune cible ne correspond.",
        "es": "Ninguna meta coincide.",
    },
    "dates_hint": {
        "en": "YYYY-MM-DD (or YYYY-MM, or YYYY, when only the month or the year is known). "
        "A HUB runs for 2 to 3 years.",
        "fr": "AAAA-MM-JJ (ou AAAA-MM, ou AAAA, si seuls le mois ou l'année sont connus). "
        "Un HUB dure de 2 à 3 ans.",
        "es": "AAAA-MM-DD (o AAAA-MM, o AAAA, si solo se conoce el mes o el año). Un HUB "
        "dura de 2 a 3 años.",
    },
    "date_format": {"en": "YYYY-MM-DD", "fr": "AAAA-MM-JJ", "es": "AAAA-MM-DD"},
    "contact": {
        "en": "Contact person (kept private)",
        "fr": "Personne de contact (reste privée)",
        "es": "Persona de contacto (se mantiene privada)",
    },
    "contact_note": {
        "en": "Only the UCLG World Secretariat sees these details; they are never published.",
        "fr": "Seul le Secrétariat mondial de CGLU voit ces coordonnées ; elles ne sont jamais "
        "publiées.",
        "es": "Solo el Secretariado Mundial de CGLU ve estos datos; nunca se publican.",
    },
    "name": {"en": "Name", "fr": "Nom", "es": "Nombre"},
    "email": {"en": "E-mail", "fr": "Courriel", "es": "Correo electrónico"},
    "stakeholders_hint": {
        "en": "Besides the lead, the organisations that take part in the HUB, and their role.",
        "fr": "Outre le chef de file, les organisations qui participent au HUB, et leur rôle.",
        "es": "Además de la entidad líder, las organizaciones que participan en el HUB, y su "
        "papel.",
    },
    "org_name": {
        "en": "Organisation (those the graph knows are suggested as you type)",
        "fr": "Organisation (celles que le graphe connaît sont proposées à la saisie)",
        "es": "Organización (se sugieren las que el grafo conoce al escribir)",
    },
    "kind": {"en": "Kind", "fr": "Type", "es": "Tipo"},
    "add_stakeholder": {
        "en": "Add a stakeholder",
        "fr": "Ajouter une partie prenante",
        "es": "Añadir una parte interesada",
    },
    "deliverables_hint": {
        "en": "The fixed deliverables through which the HUB is monitored, each due within "
        "its time frame.",
        "fr": "Les livrables fixés au moyen desquels le HUB est suivi, chacun attendu "
        "pendant sa période.",
        "es": "Los entregables fijados mediante los que se hace el seguimiento del HUB, cada "
        "uno previsto dentro de su periodo.",
    },
    "deliverable_title": {"en": "Title", "fr": "Titre", "es": "Título"},
    "add_deliverable": {
        "en": "Add a deliverable",
        "fr": "Ajouter un livrable",
        "es": "Añadir un entregable",
    },
    "remove": {"en": "Remove", "fr": "Retirer", "es": "Quitar"},
    "save": {"en": "Save the draft", "fr": "Enregistrer le brouillon", "es": "Guardar el borrador"},
    "check": {
        "en": "Check my answers",
        "fr": "Vérifier mes réponses",
        "es": "Comprobar mis respuestas",
    },
    "submit1": {"en": "Submit stage 1", "fr": "Soumettre l'étape 1", "es": "Enviar la etapa 1"},
    "submit2": {"en": "Submit stage 2", "fr": "Soumettre l'étape 2", "es": "Enviar la etapa 2"},
    "saved": {"en": "Draft saved.", "fr": "Brouillon enregistré.", "es": "Borrador guardado."},
    "draft_link": {
        "en": "The link of your draft: keep it to come back to this application. Anyone "
        "with the link can see and change it.",
        "fr": "Le lien de votre brouillon : conservez-le pour revenir à cette candidature. "
        "Toute personne qui a ce lien peut la voir et la modifier.",
        "es": "El enlace de su borrador: guárdelo para volver a esta candidatura. Cualquiera "
        "que tenga el enlace puede verla y modificarla.",
    },
    "errors_summary": {
        "en": "The application cannot be submitted yet: {n} point(s) to fix, shown next to "
        "the fields.",
        "fr": "La candidature ne peut pas encore être soumise : {n} point(s) à corriger, "
        "signalé(s) à côté des champs.",
        "es": "La candidatura aún no puede enviarse: {n} punto(s) por corregir, indicado(s) "
        "junto a los campos.",
    },
    "check_ok": {
        "en": "No problem found: the application can be submitted.",
        "fr": "Aucun problème : la candidature peut être soumise.",
        "es": "Ningún problema: la candidatura puede enviarse.",
    },
    "warnings_note": {
        "en": "Warnings do not prevent submitting.",
        "fr": "Les avertissements n'empêchent pas de soumettre.",
        "es": "Las advertencias no impiden enviar.",
    },
    "general_errors": {
        "en": "About the application as a whole",
        "fr": "Sur la candidature dans son ensemble",
        "es": "Sobre la candidatura en su conjunto",
    },
    "violation": {"en": "To fix", "fr": "À corriger", "es": "Por corregir"},
    "warning": {"en": "Warning", "fr": "Avertissement", "es": "Advertencia"},
    "csrf_failed": {
        "en": "Your session had expired, so nothing was saved; your answers are still here: "
        "send the form again.",
        "fr": "Votre session avait expiré, rien n'a donc été enregistré ; vos réponses sont "
        "toujours là : envoyez à nouveau le formulaire.",
        "es": "Su sesión había caducado, así que no se guardó nada; sus respuestas siguen "
        "aquí: envíe de nuevo el formulario.",
    },
    "not_editable": {
        "en": "This application can no longer be changed.",
        "fr": "Cette candidature ne peut plus être modifiée.",
        "es": "Esta candidatura ya no puede modificarse.",
    },
    "state:draft-stage-1": {
        "en": "Draft, stage 1",
        "fr": "Brouillon, étape 1",
        "es": "Borrador, etapa 1",
    },
    "state:awaiting-stage-1": {
        "en": "Awaiting stage-1 validation",
        "fr": "En attente de validation de l'étape 1",
        "es": "Pendiente de validación de la etapa 1",
    },
    "state:draft-stage-2": {
        "en": "Draft, stage 2",
        "fr": "Brouillon, étape 2",
        "es": "Borrador, etapa 2",
    },
    "state:awaiting-stage-2": {
        "en": "Awaiting stage-2 validation",
        "fr": "En attente de validation de l'étape 2",
        "es": "Pendiente de validación de la etapa 2",
    },
    "state:awaiting-labelling": {
        "en": "Awaiting labelling",
        "fr": "En attente de labellisation",
        "es": "Pendiente de concesión del sello",
    },
    "state:labelled": {"en": "Labelled", "fr": "Labellisé", "es": "Con sello"},
    "state:rejected": {"en": "Not accepted", "fr": "Non retenue", "es": "No aceptada"},
    "submitted_note": {
        "en": "Submitted. The UCLG World Secretariat will review it; come back to this link "
        "to follow it.",
        "fr": "Soumise. Le Secrétariat mondial de CGLU va l'examiner ; revenez à ce lien pour "
        "suivre son avancement.",
        "es": "Enviada. El Secretariado Mundial de CGLU la revisará; vuelva a este enlace para "
        "seguirla.",
    },
    "labelled_note": {
        "en": "Your initiative is a Local4Action HUB. Its public page:",
        "fr": "Votre initiative est un HUB Local4Action. Sa page publique :",
        "es": "Su iniciativa es un HUB Local4Action. Su página pública:",
    },
    "rejected_note": {
        "en": "The UCLG World Secretariat did not accept this application.",
        "fr": "Le Secrétariat mondial de CGLU n'a pas retenu cette candidature.",
        "es": "El Secretariado Mundial de CGLU no aceptó esta candidatura.",
    },
    "history": {"en": "History", "fr": "Historique", "es": "Historial"},
    "comment": {"en": "Comment", "fr": "Commentaire", "es": "Comentario"},
    "version": {"en": "Version", "fr": "Version", "es": "Versión"},
    "event:submitted": {"en": "submitted", "fr": "soumise", "es": "enviada"},
    "event:accept": {"en": "accepted", "fr": "acceptée", "es": "aceptada"},
    "event:reject": {"en": "not accepted", "fr": "non retenue", "es": "no aceptada"},
    "event:label": {"en": "label awarded", "fr": "label attribué", "es": "sello otorgado"},
    "no_findings": {
        "en": "No finding: it meets the rules of this stage.",
        "fr": "Aucun constat : elle satisfait les règles de cette étape.",
        "es": "Ningún hallazgo: cumple las reglas de esta etapa.",
    },
    "by": {"en": "by", "fr": "par", "es": "por"},
    "your_answers": {"en": "Your answers", "fr": "Vos réponses", "es": "Sus respuestas"},
    "not_given": {"en": "(not given)", "fr": "(non renseigné)", "es": "(no indicado)"},
    "review_queue": {"en": "Review queue", "fr": "File d'examen", "es": "Cola de revisión"},
    "dashboard": {
        "en": "Monitoring dashboard",
        "fr": "Tableau de suivi",
        "es": "Panel de seguimiento",
    },
    "login": {"en": "Sign in", "fr": "Se connecter", "es": "Iniciar sesión"},
    "logout": {"en": "Sign out", "fr": "Se déconnecter", "es": "Cerrar sesión"},
    "login_intro": {
        "en": "For the UCLG World Secretariat: sign in with the server's write token.",
        "fr": "Pour le Secrétariat mondial de CGLU : connectez-vous avec le jeton d'écriture "
        "du serveur.",
        "es": "Para el Secretariado Mundial de CGLU: inicie sesión con el token de escritura "
        "del servidor.",
    },
    "token": {"en": "Write token", "fr": "Jeton d'écriture", "es": "Token de escritura"},
    "your_name": {
        "en": "Your name (recorded with your decisions)",
        "fr": "Votre nom (enregistré avec vos décisions)",
        "es": "Su nombre (se registra con sus decisiones)",
    },
    "login_failed": {
        "en": "Wrong token or missing name, or this server accepts no writes.",
        "fr": "Jeton incorrect ou nom manquant, ou ce serveur n'accepte aucune écriture.",
        "es": "Token incorrecto o nombre ausente, o este servidor no acepta escrituras.",
    },
    "signed_in_as": {"en": "Signed in as", "fr": "Connecté en tant que", "es": "Sesión de"},
    "queue_empty": {"en": "Nothing here.", "fr": "Rien ici.", "es": "Nada aquí."},
    "updated": {"en": "Last change", "fr": "Dernière modification", "es": "Último cambio"},
    "open_review": {"en": "Review", "fr": "Examiner", "es": "Revisar"},
    "accept:awaiting-stage-1": {
        "en": "Accept stage 1",
        "fr": "Valider l'étape 1",
        "es": "Validar la etapa 1",
    },
    "accept:awaiting-stage-2": {
        "en": "Accept stage 2",
        "fr": "Valider l'étape 2",
        "es": "Validar la etapa 2",
    },
    "accept:awaiting-labelling": {
        "en": "Award the label and publish the HUB",
        "fr": "Attribuer le label et publier le HUB",
        "es": "Otorgar el sello y publicar el HUB",
    },
    "reject": {"en": "Reject", "fr": "Refuser", "es": "Rechazar"},
    "stage_after": {
        "en": "Lifecycle stage once labelled",
        "fr": "Étape du cycle de vie une fois labellisé",
        "es": "Etapa del ciclo de vida una vez con sello",
    },
    "lifecycle": {
        "en": "Lifecycle stage",
        "fr": "Étape du cycle de vie",
        "es": "Etapa del ciclo de vida",
    },
    "workflow_state": {"en": "State", "fr": "État", "es": "Estado"},
    "validation_now": {
        "en": "Validation with the current rules",
        "fr": "Validation selon les règles actuelles",
        "es": "Validación con las reglas actuales",
    },
    "submission_rdf": {
        "en": "The submitted version (Turtle)",
        "fr": "La version soumise (Turtle)",
        "es": "La versión enviada (Turtle)",
    },
    "decision_done": {
        "en": "Decision recorded.",
        "fr": "Décision enregistrée.",
        "es": "Decisión registrada.",
    },
    "conflict": {
        "en": "The application changed meanwhile; nothing was recorded. Look at it again.",
        "fr": "La candidature a changé entre-temps ; rien n'a été enregistré. Examinez-la de "
        "nouveau.",
        "es": "La candidatura cambió mientras tanto; no se registró nada. Revísela de nuevo.",
    },
    "label_failed": {
        "en": "The HUB does not pass the stage-2 rules any more; nothing was published.",
        "fr": "Le HUB ne satisfait plus les règles de l'étape 2 ; rien n'a été publié.",
        "es": "El HUB ya no cumple las reglas de la etapa 2; no se publicó nada.",
    },
    "published": {"en": "Published:", "fr": "Publié :", "es": "Publicado:"},
    "forbidden": {
        "en": "This page is for the UCLG World Secretariat.",
        "fr": "Cette page est réservée au Secrétariat mondial de CGLU.",
        "es": "Esta página es para el Secretariado Mundial de CGLU.",
    },
    "read_only": {
        "en": "This server is read-only: the workspace accepts no change.",
        "fr": "Ce serveur est en lecture seule : l'espace de travail n'accepte aucun changement.",
        "es": "Este servidor es de solo lectura: el espacio de trabajo no acepta cambios.",
    },
    "hubs_per_stage": {
        "en": "HUBs per lifecycle stage",
        "fr": "HUBs par étape du cycle de vie",
        "es": "HUBs por etapa del ciclo de vida",
    },
    "applications": {
        "en": "Applications in the workspace (private)",
        "fr": "Candidatures dans l'espace de travail (privé)",
        "es": "Candidaturas en el espacio de trabajo (privado)",
    },
    "deliverables_due": {
        "en": "Deliverables overdue or due within {days} days",
        "fr": "Livrables en retard ou attendus dans les {days} jours",
        "es": "Entregables atrasados o previstos en los próximos {days} días",
    },
    "overdue": {"en": "overdue", "fr": "en retard", "es": "atrasados"},
    "due_soon": {"en": "due soon", "fr": "bientôt attendus", "es": "próximos"},
    "ending_soon": {
        "en": "HUBs ending within {months} months",
        "fr": "HUBs qui se terminent dans les {months} mois",
        "es": "HUBs que terminan en los próximos {months} meses",
    },
    "coverage": {
        "en": "Coverage of SDG goals and Pact axes per UCLG section",
        "fr": "Couverture des ODD et des axes du Pacte par section de CGLU",
        "es": "Cobertura de los ODS y de los ejes del Pacto por sección de CGLU",
    },
    "coverage_note": {
        "en": "Number of HUBs whose lead belongs to the section, per goal and per axis.",
        "fr": "Nombre de HUBs dont le chef de file appartient à la section, par objectif et "
        "par axe.",
        "es": "Número de HUBs cuya entidad líder pertenece a la sección, por objetivo y por eje.",
    },
    "query_behind": {
        "en": "Each number opens the query of the library that counts it.",
        "fr": "Chaque nombre ouvre la requête de la bibliothèque qui le compte.",
        "es": "Cada número abre la consulta de la biblioteca que lo cuenta.",
    },
    "export_csv": {"en": "CSV", "fr": "CSV", "es": "CSV"},
    "more_rows": {
        "en": "{n} more in the CSV export and in the query.",
        "fr": "{n} de plus dans l'export CSV et dans la requête.",
        "es": "{n} más en la exportación CSV y en la consulta.",
    },
    "days": {"en": "Days ahead", "fr": "Jours à venir", "es": "Días por delante"},
    "months": {"en": "Months ahead", "fr": "Mois à venir", "es": "Meses por delante"},
    "update": {"en": "Update", "fr": "Mettre à jour", "es": "Actualizar"},
    "total": {"en": "Total", "fr": "Total", "es": "Total"},
    "no_section": {
        "en": "Section not stated",
        "fr": "Section non précisée",
        "es": "Sección no indicada",
    },
    "stage_not_stated": {
        "en": "Stage not stated",
        "fr": "Étape non précisée",
        "es": "Etapa no indicada",
    },
}
"""Every interface string of the workspace in en, fr and es."""


def wt(key: str, lang: str, **values: object) -> str:
    """The workspace string ``key`` in ``lang``, ``{name}`` placeholders filled.

    Raises
    ------
    KeyError
        If neither this table nor the site's has ``key``.

    Examples
    --------
    >>> wt("overdue", "fr"), wt("country", "es")
    ('en retard', 'País')
    >>> wt("deliverables_due", "en", days=30)
    'Deliverables overdue or due within 30 days'
    """
    texts = WORKSPACE_STRINGS.get(key) or STRINGS[key]
    text = pick(texts, lang)
    return text.format(**values) if values else text
