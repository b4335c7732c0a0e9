"""The guidance content shipped with the product, traced to the source article
(seed/000_2632873957398a24.txt) or, for red flags, to NICE NG59.

``load_guidance`` adds what is missing and never overwrites an admin's edits.
"""

NICE = "NICE NG59: Low back pain and sciatica in over 16s: assessment and management (2016, updated 2020), red flags for serious pathology."

# The stretch is the article's last step during a spasm, with its caution, at any severity.
STRETCH_ORDER = 9
STRETCH_BODY_EN = (
    "If possible, try a comfortable lower back stretch such as Child's Pose or a seated spinal twist. "
    "It means getting up and down to the floor, so **only go ahead if you feel comfortable with these "
    "movements**. Stop if it hurts more: during an acute spasm, stretching may add swelling."
)
STRETCH_BODY_ES = (
    "Si puedes, prueba un estiramiento cómodo de la zona lumbar, como la postura del niño o una torsión "
    "de columna sentado. Supone levantarte y bajar al suelo, así que **hazlo solo si te sientes cómodo "
    "con esos movimientos**. Para si duele más: durante un espasmo agudo, estirar puede aumentar la "
    "inflamación."
)

STEPS = [
    {
        "key": "get_to_chair",
        "phase": "during",
        "order": 1,
        "title": ("Get to a comfortable chair or sofa", "Ve a una silla o un sofá cómodos"),
        "body": (
            "Slowly make your way to the nearest comfortable chair or sofa.",
            "Ve despacio hasta la silla o el sofá cómodos más cercanos.",
        ),
        "source": "In the middle of a back spasm, slowly make your way to the nearest comfortable chair or sofa.",
    },
    {
        "key": "gentle_massage",
        "phase": "during",
        "order": 2,
        "title": ("Gently massage the spasm", "Masajea suavemente el espasmo"),
        "body": (
            "Use your hand or a massage gun. This may ease the spasm for a while.",
            "Usa la mano o una pistola de masaje. Puede aliviar el espasmo durante un rato.",
        ),
        "source": "Gently massage the spasm with your hand or a massage gun. This may temporarily ease the spasm.",
    },
    {
        "key": "slow_breathing",
        "phase": "during",
        "order": 3,
        "title": ("Breathe slowly", "Respira despacio"),
        "body": (
            "Take slow breaths in and out, from the belly (diaphragmatic breathing). It can calm you and ease stress-related pain.",
            "Inspira y espira despacio, desde el abdomen (respiración diafragmática). Puede calmarte y aliviar el dolor causado por el estrés.",
        ),
        "source": "Take slow inhales and exhales to reduce stress-induced pain. Diaphragmatic breathing may help you calm down.",
    },
    {
        "key": "alternate_heat_ice",
        "phase": "during",
        "order": 4,
        "title": (
            "Alternate heat and ice, 15–20 minutes each",
            "Alterna calor y hielo, de 15 a 20 minutos cada uno",
        ),
        "body": (
            "Switch between heat and ice every **15–20 minutes**. Wrap ice packs in a towel to avoid ice burns, and give your skin a break after icing.",
            "Cambia entre calor y hielo cada **15–20 minutos**. Envuelve el hielo en una toalla para evitar quemaduras y deja descansar la piel después.",
        ),
        "source": "Apply alternate heat and ice in 15–20 minute intervals. Wrap ice packs in a towel to avoid ice burns, and give your skin a break after icing.",
    },
    {
        "key": "use_heat",
        "phase": "during",
        "order": 4,
        "title": ("Use heat, 15–20 minutes at a time", "Usa calor, de 15 a 20 minutos cada vez"),
        "body": (
            "Heat may help improve blood flow. Use it for **15–20 minutes**, then give your skin a break.",
            "El calor puede mejorar la circulación. Úsalo **15–20 minutos** y después deja descansar la piel.",
        ),
        "source": "Apply alternate heat and ice in 15–20 minute intervals... Ice will help reduce inflammation and heat may help improve blood flow.",
    },
    {
        "key": "use_ice",
        "phase": "during",
        "order": 4,
        "title": ("Use ice, 15–20 minutes at a time", "Usa hielo, de 15 a 20 minutos cada vez"),
        "body": (
            "Ice helps reduce inflammation. Use it for **15–20 minutes**, wrapped in a towel to avoid ice burns, and give your skin a break after icing.",
            "El hielo ayuda a reducir la inflamación. Úsalo **15–20 minutos**, envuelto en una toalla para evitar quemaduras, y deja descansar la piel después.",
        ),
        "source": "Apply alternate heat and ice in 15–20 minute intervals. Wrap ice packs in a towel to avoid ice burns, and give your skin a break after icing... Ice will help reduce inflammation.",
    },
    {
        "key": "gentle_stretch_if_comfortable",
        "phase": "during",
        "order": STRETCH_ORDER,
        "title": (
            "A gentle stretch, only if it feels safe",
            "Un estiramiento suave, solo si te sientes seguro",
        ),
        "body": (
            STRETCH_BODY_EN,
            STRETCH_BODY_ES,
        ),
        "source": "If possible, try to find a comfortable lower back stretch, such as Child's Pose or a seated spinal twist... only proceed if you feel comfortable with these movements. For an acute back spasm, this may cause additional swelling.",
    },
    {
        "key": "rest_take_it_easy",
        "phase": "during",
        "order": 6,
        "title": ("Rest and take it easy", "Descansa y tómatelo con calma"),
        "body": (
            "Get plenty of rest and take it easy. Call your doctor if the pain gets worse.",
            "Descansa mucho y tómatelo con calma. Llama a tu médico si el dolor empeora.",
        ),
        "source": "The best course of action for a temporary muscle spasm is to get plenty of rest, take it easy, and call your doctor if the pain gets worse.",
    },
    {
        "key": "ice_heat_after_strain",
        "phase": "after_strain",
        "order": 1,
        "title": ("After a strain: alternate ice and heat", "Tras un esfuerzo: alterna hielo y calor"),
        "body": (
            "Because the spasm began after an injury or a straining activity, alternate ice (it reduces inflammation) and heat (it helps blood flow).",
            "Como el espasmo empezó tras una lesión o un esfuerzo, alterna hielo (reduce la inflamación) y calor (mejora la circulación).",
        ),
        "source": "If your spasms do begin after an injury or an activity that stressed the muscles, try alternating ice and heat on your back. Ice will help reduce inflammation and heat may help improve blood flow.",
    },
    {
        "key": "nsaids_muscle_relaxants",
        "phase": "medication",
        "order": 1,
        "title": (
            "Ask about anti-inflammatories or muscle relaxants",
            "Pregunta por antiinflamatorios o relajantes musculares",
        ),
        "body": (
            "NSAIDs and muscle relaxants may relieve symptoms while the muscles heal. Ask a doctor or pharmacist which is right for you.",
            "Los antiinflamatorios (AINE) y los relajantes musculares pueden aliviar los síntomas mientras se curan los músculos. Pregunta a un médico o farmacéutico cuál te conviene.",
        ),
        "source": "Medications such as nonsteroidal anti-inflammatory drugs (NSAIDs) and muscle relaxants may help relieve symptoms while the muscles heal.",
    },
    {
        "key": "ask_about_injections",
        "phase": "medication",
        "order": 2,
        "title": ("Ask about cortisone injections", "Pregunta por las inyecciones de cortisona"),
        "body": (
            "Injections of anti-inflammatory medicine (cortisone) may help. Every medicine has side effects: ask your doctor about the risks and benefits.",
            "Las inyecciones de antiinflamatorio (cortisona) pueden ayudar. Todo medicamento tiene efectos secundarios: pregunta a tu médico por los riesgos y beneficios.",
        ),
        "source": "Injections of anti-inflammatory medication (cortisone) may also help... Ask your doctor about the risks and benefits of these injections.",
    },
    {
        "key": "diagnosis_before_chiropractic",
        "phase": "medication",
        "order": 3,
        "title": ("See a doctor before chiropractic care", "Ve al médico antes de ir al quiropráctico"),
        "body": (
            "Chiropractic care may help, but have a doctor diagnose your condition first.",
            "La quiropráctica puede ayudar, pero antes pide a un médico que diagnostique tu problema.",
        ),
        "source": "Chiropractic care may help, but be sure to see a doctor to have your condition properly diagnosed first.",
    },
    {
        "key": "physical_therapy",
        "phase": "recovery",
        "order": 1,
        "title": ("Physical therapy to strengthen your back", "Fisioterapia para fortalecer la espalda"),
        "body": (
            "Physical therapy that strengthens your back and abdominal muscles is often recommended.",
            "Se suele recomendar fisioterapia que fortalezca los músculos de la espalda y del abdomen.",
        ),
        "source": "Physical therapy to help strengthen your back and abdominal muscles is often recommended.",
    },
    {
        "key": "moderate_weight",
        "phase": "prevention",
        "order": 1,
        "title": ("Keep a moderate weight", "Mantén un peso moderado"),
        "body": (
            "A moderate weight relieves stress on your spine and joints.",
            "Un peso moderado reduce la carga sobre la columna y las articulaciones.",
        ),
        "source": "Maintaining a moderate weight can help relieve the stress on your spine and your joints.",
    },
    {
        "key": "posture_low_heels",
        "phase": "prevention",
        "order": 2,
        "title": ("Stand up straight, wear low heels", "Mantente erguido y usa tacón bajo"),
        "body": (
            "Good posture and low-heeled shoes give stability and reduce tension on the lower back.",
            "Una buena postura y el calzado de tacón bajo dan estabilidad y reducen la tensión en la zona lumbar.",
        ),
        "source": "Standing up straight and wearing low-heeled shoes will help provide stability and reduce tension on the muscles in the lower back.",
    },
    {
        "key": "core_strengthening",
        "phase": "prevention",
        "order": 3,
        "title": ("Strengthen your back and core", "Fortalece la espalda y el abdomen"),
        "body": (
            "Regular strengthening exercises for your back and core (abdomen) keep you moving and feeling good.",
            "Los ejercicios regulares de fuerza para la espalda y el abdomen te ayudan a moverte y sentirte bien.",
        ),
        "source": "Engaging in regular physical activity, such as strengthening exercises for your back and (core) abdomen muscles will also help keep you moving and feeling good.",
    },
    {
        "key": "avoid_too_much_bed_or_sitting",
        "phase": "prevention",
        "order": 4,
        "title": (
            "Don't spend too long in bed or in a seat",
            "No pases demasiado tiempo en la cama o sentado",
        ),
        "body": (
            "Too much time in bed or sitting makes back problems worse. Get up and move gently during the day.",
            "Pasar demasiado tiempo en la cama o sentado empeora los problemas de espalda. Levántate y muévete con suavidad durante el día.",
        ),
        "source": "Spending too much time in bed or in a seat will lead to worsening back problems.",
    },
    {
        "key": "doctor_before_exercise_programme",
        "phase": "prevention",
        "order": 5,
        "title": (
            "Talk to a doctor before a new exercise programme",
            "Habla con un médico antes de empezar a hacer ejercicio",
        ),
        "body": (
            "If you aren't active now, talk with your doctor before you start. They may suggest exercises that are easier on your back.",
            "Si ahora no haces actividad física, habla con tu médico antes de empezar. Puede sugerirte ejercicios más suaves para la espalda.",
        ),
        "source": "If you aren't currently physically active, talk with your doctor before beginning an exercise program.",
    },
    {
        "key": "regular_stretching_chronic",
        "phase": "prevention",
        "order": 6,
        "title": ("Stretch regularly between flare-ups", "Estira con regularidad entre crisis"),
        "body": (
            "Regular stretching helps people with chronic back pain. Do it between flare-ups, not during an acute spasm: then it may add swelling.",
            "Estirar con regularidad ayuda a las personas con dolor de espalda crónico. Hazlo entre crisis, no durante un espasmo agudo: entonces puede aumentar la inflamación.",
        ),
        "source": "Regular stretching helps people with chronic back pain, but for an acute back spasm, this may cause additional swelling to the affected area.",
    },
    {
        "key": "tests_doctor_may_order",
        "phase": "doctor_visit",
        "order": 1,
        "title": ("Tests your doctor may order", "Pruebas que puede pedir tu médico"),
        "body": (
            "Your doctor may order an **X-ray** to look for signs of arthritis or a broken bone, or an **MRI or CT scan** for a better look at the muscles and other soft tissues; these scans can also show problems with the discs or with the blood supply. Explaining your symptoms in detail helps your doctor reach an accurate diagnosis.",
            "Tu médico puede pedir una **radiografía** para buscar signos de artrosis o de una fractura, o una **resonancia magnética o un TAC** para ver mejor los músculos y otros tejidos blandos; estas pruebas también pueden mostrar problemas en los discos o en el riego sanguíneo. Explicar tus síntomas con detalle ayuda a tu médico a llegar a un diagnóstico preciso.",
        ),
        "source": "Your doctor may order an X-ray to look for signs of arthritis or bone fracture. They may also order an MRI or CT scan to gain a better look at the muscles and other soft tissues. These scans can also help identify possible problems with the discs or with blood supply to the affected area.",
    },
]

PROMPTS = [
    {
        "key": "red_flag_emergency",
        "urgency": "emergency",
        "text": (
            "Seek medical care now: call your local emergency number or go to an emergency department. Problems with your bladder or bowels, numbness around the groin, or leg weakness that is getting worse can mean pressure on the nerves at the base of the spine (cauda equina syndrome).",
            "Busca atención médica ya: llama al número de emergencias o ve a urgencias. Los problemas con la vejiga o el intestino, el entumecimiento en la ingle o la debilidad en las piernas que va a más pueden indicar compresión de los nervios de la base de la columna (síndrome de cola de caballo).",
        ),
        "source": NICE,
    },
    {
        "key": "red_flag_urgent",
        "urgency": "urgent",
        "text": (
            "See a doctor today. Back pain together with fever, a big injury, unexplained weight loss, a history of cancer or pain at night that rest does not ease needs a doctor to check it.",
            "Ve hoy a un médico. El dolor de espalda junto con fiebre, una lesión fuerte, pérdida de peso sin explicación, antecedentes de cáncer o dolor nocturno que no mejora con reposo debe verlo un médico.",
        ),
        "source": NICE,
    },
    {
        "key": "pain_getting_worse",
        "urgency": "soon",
        "text": (
            "Your pain is getting worse: call your doctor.",
            "Tu dolor está empeorando: llama a tu médico.",
        ),
        "source": "...get plenty of rest, take it easy, and call your doctor if the pain gets worse.",
    },
    {
        "key": "after_injury_or_activity",
        "urgency": "soon",
        "text": (
            "The spasms started after an injury or physical activity (like sport or moving furniture). Tell your doctor: it helps tell whether a muscle injury caused them.",
            "Los espasmos empezaron tras una lesión o una actividad física (como deporte o mover muebles). Díselo a tu médico: ayuda a saber si los causó una lesión muscular.",
        ),
        "source": "Be sure to tell your doctor if you started getting spasms after a sports injury or after some other physical activity such as moving furniture.",
    },
    {
        "key": "leg_pain_nerve",
        "urgency": "soon",
        "text": (
            "Pain that reaches your leg can mean a nerve is involved (for example a bulging disc or arthritis). See a doctor within a few days.",
            "El dolor que llega a la pierna puede indicar que hay un nervio afectado (por ejemplo, una hernia discal o artrosis). Ve a un médico en los próximos días.",
        ),
        "source": "Arthritis in the lower back can put pressure on the spinal cord, which may cause pain in the back and the legs. A ruptured or bulging disc in the vertebrae may also pressure a nerve.",
    },
    {
        "key": "severe_hard_to_move",
        "urgency": "soon",
        "text": (
            "Severe spasms that make it hard to move should be seen by a doctor.",
            "Los espasmos fuertes que dificultan moverse debe verlos un médico.",
        ),
        "source": "The condition ranges from infrequent spasms with mild discomfort to chronic spasms with severe pain that makes it difficult to move.",
    },
    {
        "key": "chronic",
        "urgency": "soon",
        "text": (
            "You have had back spasms for 12 weeks or more. Chronic spasms are treatable: see your doctor about a plan.",
            "Llevas 12 semanas o más con espasmos de espalda. Los espasmos crónicos tienen tratamiento: habla con tu médico sobre un plan.",
        ),
        "source": "If you do develop back spasms, don't hesitate to contact a doctor. Back pain is generally treatable.",
    },
    {
        "key": "frequent_flares",
        "urgency": "routine",
        "text": (
            "You have had 4 or more flare-ups in 30 days. Mention how often it flares up at your next visit.",
            "Has tenido 4 o más crisis en 30 días. Comenta con qué frecuencia te ocurre en tu próxima visita.",
        ),
        "source": "Be ready to discuss... how often it flares up.",
    },
    {
        "key": "no_improvement",
        "urgency": "soon",
        "text": (
            "Your spasms have gone on for weeks without getting better. See your doctor.",
            "Tus espasmos duran semanas sin mejorar. Ve a tu médico.",
        ),
        "source": "If you do develop back spasms, don't hesitate to contact a doctor.",
    },
    {
        "key": "prepare_for_visit",
        "urgency": "routine",
        "text": (
            "Before you see a doctor, be ready to say how severe the pain is, how often it flares up, what relieves it and when it started. Your doctor-visit summary has all four.",
            "Antes de ver al médico, prepárate para decir cuánto duele, con qué frecuencia aparece, qué lo alivia y cuándo empezó. Tu resumen para el médico lo recoge todo.",
        ),
        "source": "Be ready to discuss: the severity of your back pain, how often it flares up, what relieves the pain, when it started.",
    },
]

# The article gives the stretch during a spasm with its caution and no severity cut-off;
# only a patient who cannot move is spared it.
STRETCH_CONDITIONS = [
    {"fact": "episode.ongoing", "op": "eq", "value": True},
    {"fact": "episode.mobility", "op": "ne", "value": "cannot_move"},
]
STRAIN_TRIGGERS = ["heavy_lifting", "straining_activity", "sports", "moving_furniture", "injury"]

RULES = [
    {
        "name": "During a spasm",
        "priority": 10,
        "conditions": [{"fact": "episode.ongoing", "op": "eq", "value": True}],
        "steps": [
            "get_to_chair",
            "gentle_massage",
            "slow_breathing",
            "alternate_heat_ice",
            "rest_take_it_easy",
        ],
        "prompts": [],
    },
    {
        "name": "Gentle stretch when the pain allows",
        "priority": 20,
        "conditions": STRETCH_CONDITIONS,
        "steps": ["gentle_stretch_if_comfortable"],
        "prompts": [],
    },
    {
        "name": "After an injury or straining activity",
        "priority": 30,
        "conditions": [{"fact": "episode.triggers", "op": "contains_any", "value": STRAIN_TRIGGERS}],
        "steps": ["ice_heat_after_strain"],
        "prompts": ["after_injury_or_activity"],
    },
    {
        "name": "Severe pain",
        "priority": 40,
        "conditions": [{"fact": "episode.severity", "op": "gte", "value": 7}],
        "steps": ["rest_take_it_easy", "nsaids_muscle_relaxants"],
        "prompts": ["prepare_for_visit"],
    },
    {
        "name": "Hard to move",
        "priority": 41,
        "conditions": [{"fact": "episode.mobility", "op": "in", "value": ["hard_to_move", "cannot_move"]}],
        "steps": ["rest_take_it_easy"],
        "prompts": ["severe_hard_to_move"],
    },
    {
        "name": "Severe and hard to bend or move",
        "priority": 42,
        "conditions": [
            {"fact": "episode.severity", "op": "gte", "value": 7},
            {"fact": "episode.descriptors", "op": "contains_any", "value": ["hard_to_move"]},
        ],
        "steps": [],
        "prompts": ["severe_hard_to_move"],
    },
    {
        "name": "Pain reaching the leg",
        "priority": 50,
        "conditions": [{"fact": "episode.leg_pain", "op": "eq", "value": True}],
        "steps": [],
        "prompts": ["leg_pain_nerve"],
    },
    {
        "name": "Getting worse",
        "priority": 60,
        "conditions": [{"fact": "history.trend", "op": "eq", "value": "worsening"}],
        "steps": [],
        "prompts": ["pain_getting_worse", "prepare_for_visit"],
    },
    {
        "name": "Frequent flare-ups",
        "priority": 70,
        "conditions": [{"fact": "history.episodes_last_30d", "op": "gte", "value": 4}],
        "steps": ["physical_therapy", "core_strengthening"],
        "prompts": ["frequent_flares", "prepare_for_visit"],
    },
    {
        "name": "Chronic spasms",
        "priority": 80,
        "conditions": [{"fact": "history.weeks_since_first_episode", "op": "gte", "value": 12}],
        "steps": ["physical_therapy", "ask_about_injections", "diagnosis_before_chiropractic"],
        "prompts": ["chronic"],
    },
    {
        "name": "No improvement after 4 weeks",
        "priority": 85,
        "conditions": [
            {"fact": "history.weeks_since_first_episode", "op": "gte", "value": 4},
            {"fact": "history.trend", "op": "in", "value": ["stable", "worsening"]},
            {"fact": "history.episodes_last_30d", "op": "gte", "value": 2},
        ],
        "steps": [],
        "prompts": ["no_improvement"],
    },
    {
        "name": "Chiropractic tried",
        "priority": 90,
        "conditions": [{"fact": "episode.relief_tried", "op": "contains_any", "value": ["chiropractic"]}],
        "steps": ["diagnosis_before_chiropractic"],
        "prompts": [],
    },
    {
        "name": "Once the spasm is over",
        "priority": 100,
        "conditions": [{"fact": "episode.ongoing", "op": "eq", "value": False}],
        "steps": [
            "moderate_weight",
            "posture_low_heels",
            "core_strengthening",
            "avoid_too_much_bed_or_sitting",
            "doctor_before_exercise_programme",
        ],
        "prompts": [],
    },
    {
        "name": "Regular stretching for chronic spasms",
        "priority": 101,
        "conditions": [
            {"fact": "episode.ongoing", "op": "eq", "value": False},
            {"fact": "history.weeks_since_first_episode", "op": "gte", "value": 12},
        ],
        "steps": ["regular_stretching_chronic"],
        "prompts": [],
    },
    {
        "name": "Regular stretching for frequent flare-ups",
        "priority": 102,
        "conditions": [
            {"fact": "episode.ongoing", "op": "eq", "value": False},
            {"fact": "history.episodes_last_30d", "op": "gte", "value": 4},
        ],
        "steps": ["regular_stretching_chronic"],
        "prompts": [],
    },
    *[
        {
            "name": f"Tests a doctor may order: {situation}",
            "priority": 110,
            "conditions": [condition],
            "steps": ["tests_doctor_may_order"],
            "prompts": [],
        }
        for situation, condition in [
            ("severe pain", {"fact": "episode.severity", "op": "gte", "value": 7}),
            ("pain reaching the leg", {"fact": "episode.leg_pain", "op": "eq", "value": True}),
            ("getting worse", {"fact": "history.trend", "op": "eq", "value": "worsening"}),
            ("chronic", {"fact": "history.weeks_since_first_episode", "op": "gte", "value": 12}),
            (
                "hard to move",
                {"fact": "episode.mobility", "op": "in", "value": ["hard_to_move", "cannot_move"]},
            ),
        ]
    ],
]

# Shipped content that changed after it was first seeded. ``load_guidance`` applies a change
# only where the row still holds the old seeded value: an admin's edit is never overwritten.
REVISIONS = [
    {
        "model": "rule",
        "name": "Gentle stretch when the pain allows",
        "field": "conditions",
        "old": [
            {"fact": "episode.ongoing", "op": "eq", "value": True},
            {"fact": "episode.severity", "op": "lte", "value": 6},
            {"fact": "episode.mobility", "op": "in", "value": ["", "normal", "limited"]},
        ],
        "new": STRETCH_CONDITIONS,
    },
    {
        "model": "step",
        "key": "gentle_stretch_if_comfortable",
        "field": "order",
        "old": 5,
        "new": STRETCH_ORDER,
    },
    {
        "model": "step",
        "key": "gentle_stretch_if_comfortable",
        "field": "body_en",
        "old": "If you can get to the floor comfortably, try Child's Pose or a seated spinal twist. Stop if it hurts more: during an acute spasm stretching can add swelling.",
        "new": STRETCH_BODY_EN,
    },
    {
        "model": "step",
        "key": "gentle_stretch_if_comfortable",
        "field": "body_es",
        "old": "Si puedes llegar al suelo con comodidad, prueba la postura del niño o una torsión de columna sentado. Para si duele más: durante un espasmo agudo, estirar puede aumentar la inflamación.",
        "new": STRETCH_BODY_ES,
    },
]
