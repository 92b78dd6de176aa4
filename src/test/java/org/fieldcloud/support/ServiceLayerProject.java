package org.fieldcloud.support;

/**
 * A QGIS project with one PostGIS point layer, {@code public.notes (id, note, geom)}, reached through the pg_service
 * {@code notes}: what the load and scale-out runs push deltas to, each project with its own layer id.
 */
public final class ServiceLayerProject {

    private ServiceLayerProject() { }

    public static String qgs(String projectName, String layerId) {
        return """
                <!DOCTYPE qgis PUBLIC 'http://mrcc.com/qgis.dtd' 'SYSTEM'>
                <qgis version="3.34.0-Prizren" projectname="%s">
                  <title>%s</title>
                  <projectlayers>
                    <maplayer type="vector" geometry="Point" wkbType="Point">
                      <id>%s</id>
                      <datasource>service='notes' key='id' srid=4326 type=Point checkPrimaryKeyUnicity='1' table="public"."notes" (geom)</datasource>
                      <layername>notes</layername>
                      <srs><spatialrefsys><authid>EPSG:4326</authid></spatialrefsys></srs>
                      <provider encoding="">postgres</provider>
                    </maplayer>
                  </projectlayers>
                </qgis>
                """.formatted(projectName, projectName, layerId);
    }
}
