select distinct on (unit_code) unit_code, label_zh as unit_label_zh, label_en as unit_label_en
from {{ ref('kpi_units') }}
order by unit_code, label_zh
