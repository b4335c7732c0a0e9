from guidance.engine import LEADING_URGENCIES, Guidance


def guidance_to_dict(guidance: Guidance) -> dict:
    """The JSON shape of DESIGN.md: ``{steps, prompts, reasons}``, prompts most urgent first.

    Each step and prompt carries its ``source`` (the article passage or the guideline) and
    ``source_title``; a prompt's ``placement`` says where the pages draw it (emergency,
    urgent and soon before the steps, routine after them).
    """
    return {
        "steps": [
            {
                "key": s.key,
                "phase": s.phase,
                "title": s.title,
                "body": s.body,
                "helped_before": s.helped_before,
                "note": s.note,
                "source": s.source,
                "source_title": s.source_title,
            }
            for s in guidance.steps
        ],
        "prompts": [
            {
                "key": p.key,
                "urgency": p.urgency,
                "text": p.text,
                "placement": "before_steps" if p.urgency in LEADING_URGENCIES else "after_steps",
                "source": p.source,
                "source_title": p.source_title,
            }
            for p in guidance.prompts
        ],
        "reasons": [
            {"rule": r.rule, "fact": r.fact, "detail": r.detail, "text": r.text} for r in guidance.reasons
        ],
    }
