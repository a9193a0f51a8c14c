select phase_code as phase, label_zh as phase_label_zh, label_en as phase_label_en, fdp_phase, precedence,
       label_zh_source as phase_label_zh_source, label_en_source as phase_label_en_source
from {{ ref('phases') }}
