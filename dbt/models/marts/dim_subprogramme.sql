select entity_code, subprogramme_code, label_zh as subprogramme_label_zh, label_en as subprogramme_label_en
from {{ ref('subprogrammes') }}
