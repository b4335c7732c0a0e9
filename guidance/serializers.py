from dataclasses import asdict

from guidance.engine import Guidance


def guidance_to_dict(guidance: Guidance) -> dict:
    """The JSON shape of DESIGN.md: ``{steps, prompts, reasons}``, prompts most urgent first."""
    return {
        "steps": [asdict(step) for step in guidance.steps],
        "prompts": [asdict(prompt) for prompt in guidance.prompts],
        "reasons": [asdict(reason) for reason in guidance.reasons],
    }
