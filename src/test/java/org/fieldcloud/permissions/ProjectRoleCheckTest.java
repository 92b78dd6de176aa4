package org.fieldcloud.permissions;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.stream.Stream;
import org.fieldcloud.support.ApiTest;
import org.fieldcloud.support.TestData;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * {@code has_project_role(user, project)} is the single-pair form of {@code project_roles_of(user)} used by secret
 * resolution and secret assignment; both must give the same answer for every way of holding (or not holding) a role.
 */
class ProjectRoleCheckTest extends ApiTest {

    static Stream<MatrixWorld.Options> worlds() {
        return Stream.of(MatrixWorld.Options.BASE, new MatrixWorld.Options(true, null, false), new MatrixWorld.Options(false, "reader", false));
    }

    @ParameterizedTest
    @MethodSource("worlds")
    void singlePairCheckAgreesWithTheRoleFunction(MatrixWorld.Options options) {
        MatrixWorld world = new MatrixWorld(data, http, MatrixWorld.Cast.create(data), options);
        TestData.User teamOnly = data.person("teamonly");
        data.collaborator(world.orgProject, data.team(world.org, teamOnly).id(), "editor");
        Map<String, TestData.User> people = new LinkedHashMap<>(world.cast.byActor());
        people.put("spare", world.spare());
        people.put("team member", teamOnly);
        people.put("stranger", data.person("stranger"));
        people.put("anonymous", null);

        List<Boolean> answers = new ArrayList<>();
        for (TestData.Project project : List.of(world.personalProject, world.orgProject)) {
            people.forEach((who, user) -> {
                Long id = user == null ? null : user.id();
                boolean expected = data.jdbc().sql("SELECT EXISTS (SELECT 1 FROM project_roles_of(:u) WHERE project_id = :p)")
                        .param("u", id).param("p", project.id()).query(Boolean.class).single();
                boolean actual = data.jdbc().sql("SELECT has_role FROM has_project_role(:u, :p)")
                        .param("u", id).param("p", project.id()).query(Boolean.class).single();
                assertThat(actual).as("%s on %s", who, project.name()).isEqualTo(expected);
                answers.add(actual);
            });
        }
        assertThat(answers).as("the worlds hold both outcomes").contains(true, false);
        assertThat(data.jdbc().sql("SELECT has_role FROM has_project_role(:u, :p)").param("u", teamOnly.id())
                .param("p", world.orgProject.id()).query(Boolean.class).single()).as("role through a team").isTrue();
    }
}
