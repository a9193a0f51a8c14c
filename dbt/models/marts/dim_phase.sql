select phase_code as phase, label_zh as phase_label_zh, label_en as phase_label_en, fdp_phase, precedence
from {{ ref('phases') }}
