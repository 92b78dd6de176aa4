package org.fieldcloud.files;

import org.fieldcloud.qgis.QgisProjectReader;
import org.springframework.stereotype.Component;

/** Gives the job-side reader (static, called from jobs) the same configured bound that uploads use. */
@Component
class QgisReaderBound {

    QgisReaderBound(QgisFileSettings settings) {
        QgisProjectReader.limitProjectFileBytes(settings.maxProjectFileBytes());
    }
}
