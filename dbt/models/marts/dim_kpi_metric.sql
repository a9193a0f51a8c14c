-- The reviewed metric dictionary: shared headline metrics of the work reports, matched by wording.
select metric_key, name_zh as metric_name_zh, name_en as metric_name_en, unit,
       context_pattern, before_pattern, after_pattern
from {{ ref('kpi_metrics') }}
