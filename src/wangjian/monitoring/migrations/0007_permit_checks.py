# Permit display checks (亮证) and the electronic business mark (亮标) beside the licence display check (亮照):
# one LicenceCheck per run, presence and kind.

from django.db import migrations, models


class Migration(migrations.Migration):

    dependencies = [
        ('monitoring', '0006_rule_categories_standard_terms_prize_sales_review'),
    ]

    operations = [
        migrations.AlterModelOptions(
            name='licencecheck',
            options={'ordering': ['-checked_at', '-id'], 'verbose_name': '亮照亮证核验', 'verbose_name_plural': '亮照亮证核验'},
        ),
        migrations.RemoveConstraint(
            model_name='licencecheck',
            name='monitoring_licence_once_per_run',
        ),
        migrations.AddField(
            model_name='licencecheck',
            name='kind',
            field=models.CharField(choices=[('business_licence', '营业执照（亮照）'), ('food_permit', '食品经营许可/备案（亮证）'), ('drug_permit', '药品经营许可证（亮证）'), ('drug_info', '互联网药品信息服务资格证书（亮证）'), ('device_permit', '医疗器械经营许可/备案（亮证）'), ('platform_filing', '网络食品交易第三方平台备案（亮证）'), ('ebiz_mark', '电子营业执照/网店标识（亮标）')], default='business_licence', max_length=16, verbose_name='核验项目'),
        ),
        migrations.AlterField(
            model_name='licencecheck',
            name='verdict',
            field=models.CharField(max_length=16, verbose_name='核验结果'),
        ),
        migrations.AddConstraint(
            model_name='licencecheck',
            constraint=models.UniqueConstraint(fields=('run', 'presence', 'kind'), name='monitoring_licence_once_per_run_and_kind'),
        ),
    ]
